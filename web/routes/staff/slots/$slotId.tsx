import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { BookingStatusBadge } from "../../../components/booking-status";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { type Booking, formatWhen, isActive, shanghaiDate } from "../../../lib/bookings";
import { telHref } from "../../../lib/facilities";
import { type MessageKey, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { slotBookingsQuery, staffDaySlotsQuery } from "../../../lib/queries";
import { ForbiddenError } from "../../../lib/roles";
import { FillLevel } from "../-components/fill-level";

const SlotSearch = z.object({
  /** The slot's Shanghai date: its fill level comes from that day's list. */
  date: z.iso.date().optional().catch(undefined),
});

export const Route = createFileRoute("/staff/slots/$slotId")({
  validateSearch: SlotSearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loaderDeps: ({ search }) => ({ date: search.date ?? shanghaiDate(Date.now()) }),
  loader: async ({ context: { queryClient }, params, deps }) => {
    const [day] = await Promise.all([
      queryClient.ensureQueryData(staffDaySlotsQuery(deps.date)),
      queryClient.ensureQueryData(slotBookingsQuery(params.slotId)),
    ]);
    if (!day.slots.some((s) => s.id === params.slotId)) throw notFound();
  },
  component: SlotPage,
});

function useRefreshStaff() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["staff"] });
}

function SlotPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { slotId } = Route.useParams();
  const search = Route.useSearch();
  const date = search.date ?? shanghaiDate(Date.now());
  const { data: day } = useSuspenseQuery(staffDaySlotsQuery(date));
  const { data: bookings } = useSuspenseQuery(slotBookingsQuery(slotId));
  const refresh = useRefreshStaff();
  const slot = day.slots.find((s) => s.id === slotId);
  const cancelSlot = useMutation({
    mutationFn: () => unwrap(api.slots[":id"].cancel.$post({ param: { id: slotId }, query: {}, json: {} })),
    onSuccess: refresh,
  });
  if (!slot) return null;
  const active = bookings.filter((b) => isActive(b.status)).length;

  return (
    <>
      <p>
        <Link to="/staff/slots" search={{ date }} className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffSlot.back")}
        </Link>
      </p>
      <PageHeading title={slot.offeringTitle} lead={formatWhen(locale, slot.startsAt, slot.endsAt)} />
      <div className="card stack">
        <p>{slot.organisationName}</p>
        {slot.status === "cancelled" ? (
          <span className="badge badge--muted">{t("staffSlots.cancelled")}</span>
        ) : (
          <FillLevel
            capacity={slot.capacity}
            taken={slot.taken}
            waitlisted={slot.waitlisted}
            checkedIn={slot.checkedIn}
          />
        )}
        <div className="row">
          <Link to="/staff/check-in" className="button button--small">
            {t("staff.checkIn")}
          </Link>
          <a
            className="button button--secondary button--small"
            href={`/api/offerings/${slot.offeringId}/bookings.csv?from=${date}&to=${date}`}
            download
          >
            {t("staffSlot.csv")}
          </a>
          <Link
            to="/staff/offerings/$offeringId"
            params={{ offeringId: slot.offeringId }}
            className="button button--secondary button--small"
          >
            {t("staffSlot.schedule")}
          </Link>
        </div>
      </div>

      <section className="section" aria-labelledby="slot-bookings-title">
        <h2 id="slot-bookings-title">{t("staffSlot.bookings", { count: bookings.length })}</h2>
        <p className="muted small">{t("staffSlot.phoneNote")}</p>
        {bookings.length === 0 ? (
          <p className="muted">{t("staffSlot.empty")}</p>
        ) : (
          <ul className="list">
            {bookings.map((b) => (
              <StaffBookingItem key={b.id} booking={b} />
            ))}
          </ul>
        )}
      </section>

      {slot.status === "open" && slot.endsAt > Date.now() ? (
        <section className="section" aria-labelledby="cancel-slot-title">
          <h2 id="cancel-slot-title">{t("staffSlot.cancelTitle")}</h2>
          <div className="card stack">
            <p>{t("staffSlot.cancelHelp")}</p>
            <div>
              <ConfirmAction
                label={t("staffSlot.cancel")}
                question={t("staffSlot.cancelConfirm", { count: active })}
                confirmLabel={t("staffSlot.cancelYes")}
                busy={cancelSlot.isPending}
                onConfirm={() => cancelSlot.mutate()}
              />
            </div>
            <ErrorNotice error={cancelSlot.error} />
          </div>
        </section>
      ) : null}
      {cancelSlot.isSuccess ? <SuccessNotice>{t("staffSlot.cancelled")}</SuccessNotice> : null}
    </>
  );
}

type Action = "confirm" | "check-in" | "complete" | "no-show" | "cancel";

const ACTION_LABEL: Record<Action, MessageKey> = {
  confirm: "staffBooking.confirm",
  "check-in": "staffBooking.checkIn",
  complete: "staffBooking.complete",
  "no-show": "staffBooking.noShow",
  cancel: "staffBooking.cancel",
};

/** What staff may do next with a booking in each status. */
function actionsFor(status: Booking["status"]): Action[] {
  switch (status) {
    case "pending":
      return ["confirm"];
    case "confirmed":
      return ["check-in", "no-show"];
    case "checked_in":
      return ["complete"];
    default:
      return [];
  }
}

function StaffBookingItem({ booking }: { booking: Booking & { phoneMasked: string | null } }) {
  const t = useT();
  const refresh = useRefreshStaff();
  const [phone, setPhone] = useState<string | null>(null);
  const reveal = useMutation({
    mutationFn: () => unwrap(api.bookings[":id"]["reveal-phone"].$post({ param: { id: booking.id }, query: {} })),
    onSuccess: (result) => setPhone(result.phone ?? ""),
  });
  const act = useMutation({
    mutationFn: (action: Action) => {
      const param = { id: booking.id };
      switch (action) {
        case "confirm":
          return unwrap(api.bookings[":id"].confirm.$post({ param, query: {} }));
        case "check-in":
          return unwrap(api.bookings["check-in"].$post({ query: {}, json: { code: booking.code } }));
        case "complete":
          return unwrap(api.bookings[":id"].complete.$post({ param, query: {} }));
        case "no-show":
          return unwrap(api.bookings[":id"]["no-show"].$post({ param, query: {} }));
        case "cancel":
          return unwrap(api.bookings[":id"].cancel.$post({ param, query: {}, json: {} }));
      }
    },
    onSuccess: refresh,
  });
  const name = booking.person.name || t("person.unnamed");
  const cancellable = booking.status === "pending" || booking.status === "confirmed" || booking.status === "waitlisted";

  return (
    <li className="list__item">
      <span className="row row--tight">
        <span className="list__title">{name}</span>
        <BookingStatusBadge booking={booking} />
      </span>
      <span className="small">
        {t("staffBooking.code")} <span className="mono">{booking.code}</span> · {t(`actorRole.${booking.actorRole}`)} ·{" "}
        {t(`channel.${booking.channel}`)}
      </span>
      {booking.address ? <span>{t("staffBooking.address", { address: booking.address })}</span> : null}
      {booking.notes ? <span className="pre-line">{t("staffBooking.notes", { notes: booking.notes })}</span> : null}
      <div className="row">
        {phone !== null ? (
          phone ? (
            <a className="call" href={telHref(phone)}>
              <Icon name="phone" className="call__icon" />
              <span className="call__number">{phone}</span>
            </a>
          ) : (
            <span className="muted">{t("staffBooking.noPhone")}</span>
          )
        ) : booking.phoneMasked ? (
          <>
            <span className="mono">{booking.phoneMasked}</span>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={reveal.isPending}
              onClick={() => reveal.mutate()}
            >
              {t("staffBooking.reveal")}
              <span className="visually-hidden"> {name}</span>
            </button>
          </>
        ) : (
          <span className="muted">{t("staffBooking.noPhone")}</span>
        )}
      </div>
      {phone ? <span className="muted small">{t("staffBooking.revealLogged")}</span> : null}
      {actionsFor(booking.status).length > 0 || cancellable ? (
        <div className="row">
          {actionsFor(booking.status).map((action) => (
            <button
              key={action}
              type="button"
              className={action === "no-show" ? "button button--secondary button--small" : "button button--small"}
              disabled={act.isPending}
              onClick={() => act.mutate(action)}
            >
              {t(ACTION_LABEL[action])}
              <span className="visually-hidden"> {name}</span>
            </button>
          ))}
          {cancellable ? (
            <ConfirmAction
              label={t("staffBooking.cancel")}
              question={t("staffBooking.cancelConfirm", { name })}
              confirmLabel={t("staffBooking.cancelYes")}
              busy={act.isPending}
              onConfirm={() => act.mutate("cancel")}
            />
          ) : null}
        </div>
      ) : null}
      <ErrorNotice error={reveal.error ?? act.error} />
    </li>
  );
}
