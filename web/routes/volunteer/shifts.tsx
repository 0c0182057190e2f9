import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import type { z } from "zod";
import type { Shift as ShiftSchema } from "../../../worker/features/volunteers/shifts.routes";
import { ErrorNotice } from "../../components/error-notice";
import { EmptyState, PageHeading } from "../../components/page";
import { ShiftCode } from "../../components/shift-code";
import { api, unwrap } from "../../lib/api";
import { formatWhen } from "../../lib/bookings";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { meQuery } from "../../lib/queries";
import { optionLabel, volunteerShiftsQuery } from "../../lib/volunteers";

export const Route = createFileRoute("/volunteer/shifts")({
  loader: ({ context: { queryClient } }) =>
    Promise.all([queryClient.ensureQueryData(volunteerShiftsQuery), queryClient.ensureQueryData(meQuery)]),
  component: ShiftsPage,
});

type Shift = z.infer<typeof ShiftSchema>;

function ShiftsPage() {
  const t = useT();
  const { data } = useSuspenseQuery(volunteerShiftsQuery);
  const { data: me } = useSuspenseQuery(meQuery);
  return (
    <div className="page">
      <PageHeading title={t("shifts.title")} lead={t("shifts.lead")} />
      {!data.registered ? (
        <p className="card">
          {t(me ? "shifts.registerFirst" : "shifts.signInFirst")}{" "}
          <Link to="/volunteer">{t("shifts.registerLink")}</Link>
        </p>
      ) : null}
      {data.shifts.length === 0 ? (
        <EmptyState icon="calendar" title={t("shifts.emptyTitle")} body={t("shifts.emptyBody")} />
      ) : (
        <ul className="list">
          {data.shifts.map((shift) => (
            <ShiftItem
              key={shift.slotId}
              shift={shift}
              selfId={me?.persons.find((p) => p.relationship === "self")?.id}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function ShiftItem({ shift, selfId }: { shift: Shift; selfId: string | undefined }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [attemptKey] = useState(() => crypto.randomUUID());
  const signUp = useMutation({
    mutationFn: () => {
      if (!selfId) throw new Error("no own person");
      // One key per shift on this page: a retry after a lost answer gets the same booking back.
      return unwrap(
        api.bookings.$post({
          query: {},
          header: { "idempotency-key": attemptKey },
          json: { slotId: shift.slotId, personId: selfId },
        }),
      );
    },
    onSuccess: async (booking) => {
      await queryClient.invalidateQueries({ queryKey: ["volunteers", "shifts"] });
      await queryClient.invalidateQueries({ queryKey: ["bookings", "mine"] });
      await navigate({
        to: "/bookings/$bookingId",
        params: { bookingId: booking.id },
        state: { bookingCreated: true },
      });
    },
  });
  const titleId = `shift-${shift.slotId}`;
  return (
    <li className="list__item card stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="list__title">
        {shift.title}
      </h2>
      <p className="strong">{formatWhen(locale, shift.startsAt, shift.endsAt)}</p>
      <p>
        {[shift.organisationName, shift.facilityName].filter(Boolean).join(" · ")}
        {shift.teamName ? ` · ${t("shifts.teamOnly", { team: shift.teamName })}` : ""}
      </p>
      {shift.supports ? (
        <p>{t("shifts.supports", { title: shift.supports.title, organisation: shift.supports.organisationName })}</p>
      ) : null}
      {shift.servedPersonName ? <p>{t("shifts.serves", { name: shift.servedPersonName })}</p> : null}
      {shift.skills.length > 0 ? (
        <p>
          {t("shifts.skills")}
          {shift.skills.map((s) => optionLabel(t, "skill", s)).join(t("common.listSeparator"))}
        </p>
      ) : null}
      {shift.description ? <p className="pre-line">{shift.description}</p> : null}
      <p className={shift.free > 0 ? "" : "muted"}>
        {shift.free > 0 ? t("shifts.free", { free: shift.free, capacity: shift.capacity }) : t("shifts.full")}
      </p>
      {shift.iLead ? (
        <div className="stack">
          <p className="muted">{t("shifts.leadHint")}</p>
          <ShiftCode slotId={shift.slotId} label={t("shifts.leadShow", { title: shift.title })} />
        </div>
      ) : null}
      {shift.myBooking ? (
        <Link to="/bookings/$bookingId" params={{ bookingId: shift.myBooking.id }} className="button button--secondary">
          {t("shifts.mine")}
        </Link>
      ) : shift.canSignUp ? (
        <>
          <ErrorNotice error={signUp.error} messages={{ SLOT_FULL: "shifts.fullNow" }} />
          <button
            type="button"
            className="button"
            disabled={signUp.isPending || shift.free === 0}
            onClick={() => signUp.mutate()}
          >
            {signUp.isPending ? t("shifts.signingUp") : t("shifts.signUp")}
          </button>
        </>
      ) : null}
    </li>
  );
}
