import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { CheckInBody } from "../../../worker/features/bookings/bookings.schema";
import { Alert, ErrorNotice } from "../../components/error-notice";
import { TextField } from "../../components/fields";
import { Icon } from "../../components/icon";
import { PageHeading } from "../../components/page";
import { QrScanner } from "../../components/qr-scanner";
import { api, unwrap } from "../../lib/api";
import { formatWhen } from "../../lib/bookings";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { ForbiddenError } from "../../lib/roles";

export const Route = createFileRoute("/staff/check-in")({
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  component: CheckInPage,
});

/** Check-in at the door: one large field for the code the resident shows, ready for the next one. */
function CheckInPage() {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const [invalid, setInvalid] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [notACode, setNotACode] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const scanButton = useRef<HTMLButtonElement>(null);
  // Where the next code comes from, so focus goes back there (no keyboard over the result after a scan).
  const via = useRef<"typed" | "scanned">("typed");
  const checkIn = useMutation({
    mutationFn: (value: string) => unwrap(api.bookings["check-in"].$post({ query: {}, json: { code: value } })),
    onSuccess: () => {
      setCode("");
      return queryClient.invalidateQueries({ queryKey: ["staff"] });
    },
  });
  // Once an answer is in (and the buttons are enabled again), back to where the next code comes from.
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !checkIn.isPending) (via.current === "scanned" ? scanButton : field).current?.focus();
    wasPending.current = checkIn.isPending;
  }, [checkIn.isPending]);

  function closeScanner() {
    setScanning(false);
    requestAnimationFrame(() => scanButton.current?.focus());
  }

  /**
   * A QR code read by the camera: a check-in code is checked in at once, like one typed; any
   * other QR code is looked past (the camera stays on) with a word on what to scan.
   */
  function scanned(text: string): boolean {
    const parsed = CheckInBody.safeParse({ code: text });
    setNotACode(!parsed.success);
    if (!parsed.success) return false;
    const value = parsed.data.code.toUpperCase();
    setScanning(false);
    setCode(value);
    setInvalid(false);
    via.current = "scanned";
    checkIn.mutate(value);
    return true;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setNotACode(false);
    via.current = "typed";
    const parsed = CheckInBody.safeParse({ code });
    setInvalid(!parsed.success);
    if (parsed.success) checkIn.mutate(parsed.data.code.toUpperCase());
    else field.current?.focus();
  }

  const done = checkIn.data;
  return (
    <>
      <PageHeading title={t("checkIn.title")} lead={t("checkIn.lead")} />
      {scanning ? (
        <QrScanner onText={scanned} onClose={closeScanner} />
      ) : (
        <p>
          <button
            ref={scanButton}
            type="button"
            className="button button--block button--large button--secondary"
            disabled={checkIn.isPending}
            onClick={() => {
              setNotACode(false);
              checkIn.reset();
              setScanning(true);
            }}
          >
            <Icon name="camera" className="button__icon" />
            {t("checkIn.scan")}
          </button>
        </p>
      )}
      {notACode ? <Alert title={t("checkIn.notACode")} /> : null}
      <form className="card form" onSubmit={submit} noValidate>
        <TextField
          ref={field}
          className="input input--code"
          label={t("checkIn.code")}
          hint={t("checkIn.codeHint")}
          error={invalid ? t("invalid.checkInCode") : undefined}
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          enterKeyHint="done"
          maxLength={6}
          value={code}
          onChange={(e) => {
            setCode(e.target.value.toUpperCase().replace(/[^A-Z0-9]/g, ""));
            setInvalid(false);
            setNotACode(false);
          }}
        />
        <button type="submit" className="button button--block button--large" disabled={checkIn.isPending}>
          {checkIn.isPending ? t("checkIn.checking") : t("checkIn.submit")}
        </button>
      </form>
      <ErrorNotice
        error={checkIn.error}
        messages={{
          NOT_FOUND: "checkIn.notFound",
          CONFLICT: "checkIn.conflict",
          VALIDATION_FAILED: "invalid.checkInCode",
        }}
      />
      {done && !checkIn.isPending ? (
        <section className="card checked-in" role="status" aria-labelledby="checked-in-title">
          <h2 id="checked-in-title" className="checked-in__title">
            <Icon name="check" className="checked-in__icon" />
            {t("checkIn.done", { name: done.person.name || t("person.unnamed") })}
          </h2>
          <p className="strong">{done.offering.title}</p>
          <p>{formatWhen(locale, done.slot.startsAt, done.slot.endsAt)}</p>
          <p className="muted">
            {t("staffBooking.code")} <span className="mono">{done.code}</span>
          </p>
        </section>
      ) : null}
    </>
  );
}
