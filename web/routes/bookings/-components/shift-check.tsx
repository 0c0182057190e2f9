import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ShiftCode } from "../../../../worker/features/volunteers/service-records.schema";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { focusFirstInvalid, TextField } from "../../../components/fields";
import { api, unwrap } from "../../../lib/api";
import type { Booking } from "../../../lib/bookings";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { bookingQuery } from "../../../lib/queries";

/**
 * A volunteer's own shift: check in and, later, out with the 6-digit code the shift's lead shows.
 * Checking out leaves the service record waiting for the organisation's approval.
 */
export function ShiftCheck({ booking }: { booking: Booking }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const [invalid, setInvalid] = useState(false);
  const out = booking.status === "checked_in";
  const check = useMutation({
    mutationFn: (value: string) => {
      const args = { param: { id: booking.id }, query: {}, json: { code: value } };
      return unwrap(
        out ? api.bookings[":id"]["shift-check-out"].$post(args) : api.bookings[":id"]["shift-check-in"].$post(args),
      );
    },
    onSuccess: async () => {
      setCode("");
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: bookingQuery(booking.id).queryKey }),
        queryClient.invalidateQueries({ queryKey: ["volunteers"] }),
      ]);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = ShiftCode.safeParse(code);
    setInvalid(!parsed.success);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) check.mutate(parsed.data);
  }

  const record = check.data;
  if (booking.status === "completed") {
    return (
      <section className="section" aria-labelledby="shift-check-title">
        <h2 id="shift-check-title">{t("shift.doneTitle")}</h2>
        <div className="card stack">
          {record ? (
            <SuccessNotice>{t("shift.checkedOut", { minutes: record.minutes ?? 0 })}</SuccessNotice>
          ) : (
            <p>{t("shift.done")}</p>
          )}
          <Link to="/volunteer/hours" className="button button--secondary">
            {t("volunteer.toHours")}
          </Link>
        </div>
      </section>
    );
  }
  return (
    <section className="section" aria-labelledby="shift-check-title">
      <h2 id="shift-check-title">{t(out ? "shift.checkOutTitle" : "shift.checkInTitle")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p>{t(out ? "shift.checkOutHelp" : "shift.checkInHelp")}</p>
        <TextField
          label={t("shift.code")}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          error={invalid ? t("shift.codeInvalid") : undefined}
          onChange={(e) => {
            setCode(e.target.value);
            check.reset();
          }}
        />
        <ErrorNotice
          error={check.error}
          messages={{ VALIDATION_FAILED: "shift.codeWrong", CONFLICT: "shift.conflict" }}
        />
        {record ? (
          <SuccessNotice>
            {record.status === "open"
              ? t("shift.checkedIn", { time: formatDate(locale, record.startedAt, true) })
              : t("shift.checkedOut", { minutes: record.minutes ?? 0 })}
          </SuccessNotice>
        ) : null}
        <button type="submit" className="button button--block" disabled={check.isPending}>
          {t(out ? "shift.checkOut" : "shift.checkIn")}
        </button>
      </form>
    </section>
  );
}
