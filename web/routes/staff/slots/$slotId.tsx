import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, redirect } from "@tanstack/react-router";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { z } from "zod";
import {
  CHECK_IN_OPENS_BEFORE,
  type StaffAction,
  staffActions,
} from "../../../../worker/features/bookings/bookings.timing";
import { BookingStatusBadge } from "../../../components/booking-status";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { SelectField } from "../../../components/fields";
import { FileDownload } from "../../../components/file-download";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { ShiftCode } from "../../../components/shift-code";
import { api, unwrap } from "../../../lib/api";
import { type Booking, formatWhen, isActive, shanghaiDate, stillCancellable } from "../../../lib/bookings";
import { telHref } from "../../../lib/facilities";
import { type MessageKey, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { offeringQuery, organisationStaffQuery, slotBookingsQuery, staffDaySlotsQuery } from "../../../lib/queries";
import { ForbiddenError } from "../../../lib/roles";
import { useFocusWhenLost } from "../../../lib/use-focus-when-lost";
import { useNow } from "../../../lib/use-now";
import { FillLevel } from "../-components/fill-level";
import { FindPerson } from "../-components/find-person";

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
    const slot = day.slots.find((s) => s.id === params.slotId);
    if (!slot) {
      // An address with another day or none (bookmarked, typed or sent on): open the slot's own day.
      const found = await unwrap(api.slots[":id"].$get({ param: { id: params.slotId }, query: {} })).catch(() => null);
      const date = found ? shanghaiDate(found.startsAt) : null;
      if (date && date !== deps.date) throw redirect({ to: "/staff/slots/$slotId", params, search: { date } });
      throw notFound();
    }
    // Whether it is a home visit (address, needs, assignment) and whose organisation it is.
    await queryClient.ensureQueryData(offeringQuery(slot.offeringId));
  },
  component: SlotPage,
});

/** After a change on a slot: the console's lists, and what residents see of the offerings (free places, next time). */
/**
 * A volunteer shift's check-in code, shown large for the lead to hold up; and the shift's service
 * records to approve at once once it is over.
 */
function ShiftCodePanel({ slotId, servedPersonName }: { slotId: string; servedPersonName: string | null }) {
  const t = useT();
  const approve = useMutation({
    mutationFn: () => unwrap(api.slots[":id"]["service-records"].approve.$post({ param: { id: slotId }, query: {} })),
  });
  return (
    <section className="section" aria-labelledby="shift-code-title">
      <h2 id="shift-code-title">{t("shiftStaff.title")}</h2>
      <div className="card stack">
        <p>{t("shiftStaff.help")}</p>
        <ShiftCode slotId={slotId} />
        <SlotServedPerson slotId={slotId} current={servedPersonName} />
        <ErrorNotice error={approve.error} />
        {approve.data ? (
          <SuccessNotice>
            {t("shiftStaff.approved", { approved: approve.data.approved, left: approve.data.left })}
          </SuccessNotice>
        ) : null}
        <button
          type="button"
          className="button button--secondary"
          disabled={approve.isPending}
          onClick={() => approve.mutate()}
        >
          {t("shiftStaff.approveAll")}
        </button>
      </div>
    </section>
  );
}

/** The one person this shift time serves (a home visit): the shift's records name them, so they can rate it. */
function SlotServedPerson({ slotId, current }: { slotId: string; current: string | null }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [finding, setFinding] = useState(false);
  const [named, setNamed] = useState<string | null>(null);
  const name = useMutation({
    mutationFn: (person: { id: string; name: string } | null) =>
      unwrap(
        api.slots[":id"]["served-person"].$put({
          param: { id: slotId },
          query: {},
          json: { personId: person?.id ?? null },
        }),
      ).then(() => person?.name ?? null),
    onSuccess: async (personName) => {
      setNamed(personName);
      setFinding(false);
      await queryClient.invalidateQueries({ queryKey: ["staff"] });
    },
  });
  return (
    <div className="stack">
      <p className="muted">{t("shiftStaff.servesHint")}</p>
      {current ? <p>{t("shifts.serves", { name: current })}</p> : null}
      {named ? <SuccessNotice>{t("shiftStaff.serves", { name: named })}</SuccessNotice> : null}
      {name.isSuccess && named === null ? <SuccessNotice>{t("shiftStaff.servesCleared")}</SuccessNotice> : null}
      <ErrorNotice error={name.error} />
      {finding ? (
        <>
          <FindPerson
            onChoose={(person) => name.mutate(person)}
            chooseLabel={(person) => t("volunteerWork.servedChoose", { name: person })}
          />
          <button type="button" className="button button--secondary button--small" onClick={() => setFinding(false)}>
            {t("common.goBack")}
          </button>
        </>
      ) : (
        <span className="row">
          <button type="button" className="button button--secondary" onClick={() => setFinding(true)}>
            {t("shiftStaff.setServes")}
          </button>
          {current ? (
            <button
              type="button"
              className="button button--secondary"
              disabled={name.isPending}
              onClick={() => name.mutate(null)}
            >
              {t("shiftStaff.clearServes")}
            </button>
          ) : null}
        </span>
      )}
    </div>
  );
}

function useRefreshStaff() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ["staff"] }),
      queryClient.invalidateQueries({ queryKey: ["offerings"] }),
    ]);
}

function SlotPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { slotId } = Route.useParams();
  // The day the page was loaded for (not re-read from the clock: a page left open past midnight
  // keeps its slot's day).
  const { date } = Route.useLoaderDeps();
  const { data: day } = useSuspenseQuery(staffDaySlotsQuery(date));
  const { data: bookings } = useSuspenseQuery(slotBookingsQuery(slotId));
  const refresh = useRefreshStaff();
  const slot = day.slots.find((s) => s.id === slotId);
  // Left open at the door all day: the buttons follow check-in opening, the start and the end.
  const at = useNow(slot ? [slot.startsAt - CHECK_IN_OPENS_BEFORE, slot.startsAt, slot.endsAt] : []);
  const cancelSlot = useMutation({
    mutationFn: () => unwrap(api.slots[":id"].cancel.$post({ param: { id: slotId }, query: {}, json: {} })),
    // The cancel section goes with the answer (below), in the same render as the word that it was
    // called off; the lists are refreshed after, not awaited.
    onSuccess: () => void refresh(),
  });
  // The slot's cancel section goes once it is called off (or over): the focus its buttons had goes
  // to the word that it was called off, or else to the bookings' heading.
  const page = useRef<HTMLDivElement>(null);
  const cancelledNotice = useRef<HTMLDivElement>(null);
  const bookingsHeading = useRef<HTMLHeadingElement>(null);
  useFocusWhenLost(page, {
    get current() {
      return cancelledNotice.current ?? bookingsHeading.current;
    },
  });
  if (!slot) return null;
  const active = bookings.filter((b) => isActive(b.status)).length;

  return (
    <div className="page" ref={page}>
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
          <FileDownload
            className="button button--secondary button--small"
            href={`/api/offerings/${slot.offeringId}/bookings.csv?from=${date}&to=${date}`}
            label={t("staffSlot.csv")}
            fallbackName={`bookings-${slot.offeringId}.csv`}
          />
          {slot.offeringKind === "event" ? (
            <Link
              to="/staff/events/$eventId"
              params={{ eventId: slot.offeringId }}
              className="button button--secondary button--small"
            >
              {t("staffSlot.event")}
            </Link>
          ) : (
            <Link
              to="/staff/offerings/$offeringId"
              params={{ offeringId: slot.offeringId }}
              className="button button--secondary button--small"
            >
              {t("staffSlot.schedule")}
            </Link>
          )}
        </div>
      </div>

      {slot.offeringKind === "volunteer_shift" && slot.status === "open" ? (
        <ShiftCodePanel slotId={slot.id} servedPersonName={slot.servedPersonName} />
      ) : null}

      <section className="section" aria-labelledby="slot-bookings-title">
        <h2 id="slot-bookings-title" ref={bookingsHeading} tabIndex={-1}>
          {t("staffSlot.bookings", { count: bookings.length })}
        </h2>
        <p className="muted small">{t("staffSlot.phoneNote")}</p>
        {bookings.length === 0 ? (
          <p className="muted">{t("staffSlot.empty")}</p>
        ) : (
          <SlotBookingList offeringId={slot.offeringId} bookings={bookings} at={at} />
        )}
      </section>

      {/* An event's dates are called off on the event's page (one or all following, told to each). */}
      {slot.status === "open" && slot.endsAt > at && !cancelSlot.isSuccess && slot.offeringKind !== "event" ? (
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
      {cancelSlot.isSuccess ? (
        <div ref={cancelledNotice} tabIndex={-1}>
          <SuccessNotice>{t("staffSlot.cancelled")}</SuccessNotice>
        </div>
      ) : null}
    </div>
  );
}

type Action = StaffAction | "cancel";

const ACTION_LABEL: Record<Action, MessageKey> = {
  confirm: "staffBooking.confirm",
  "check-in": "staffBooking.checkIn",
  complete: "staffBooking.complete",
  "no-show": "staffBooking.noShow",
  cancel: "staffBooking.cancel",
};

type StaffBooking = Booking & { phoneMasked: string | null };

function SlotBookingList({ offeringId, bookings, at }: { offeringId: string; bookings: StaffBooking[]; at: number }) {
  const { data: offering } = useSuspenseQuery(offeringQuery(offeringId));
  return (
    <ul className="list">
      {bookings.map((b) => (
        <StaffBookingItem
          key={b.id}
          booking={b}
          homeVisitOf={offering.requiresAddress ? offering.organisationId : null}
          course={offering.kind === "training"}
          at={at}
        />
      ))}
    </ul>
  );
}

/** Bookings someone can still be sent to (the API refuses the rest). */
const ASSIGNABLE: ReadonlySet<Booking["status"]> = new Set(["pending", "confirmed", "checked_in"]);

/** `homeVisitOf`: the organisation whose staff make the visit, when the offering is a home visit. */
function StaffBookingItem({
  booking,
  homeVisitOf,
  course,
  at,
}: {
  booking: StaffBooking;
  homeVisitOf: string | null;
  /** A training course's enrolment: completed (or not) by attendance when the course is closed. */
  course: boolean;
  at: number;
}) {
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
    // Also after a refusal: the booking may have changed meanwhile (a resident cancelled it), and
    // the list should show what it is now.
    onSettled: refresh,
  });
  const name = booking.person.name || t("person.unnamed");
  // Until the slot ends (the API refuses later: the service is over, only its outcome is recorded).
  const cancellable = stillCancellable(booking, at);
  const assignable = ASSIGNABLE.has(booking.status);
  const actions = staffActions(booking, at).filter((a) => !course || (a !== "complete" && a !== "no-show"));
  // The number shown in place of its button takes the focus the button had (before the rule below).
  const call = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (phone && (!document.activeElement || document.activeElement === document.body)) call.current?.focus();
  }, [phone]);
  // A button pressed (check-in, completed) or outdated by the clock goes away: the focus goes to
  // the person's name and new status, not to the page's body.
  const item = useRef<HTMLLIElement>(null);
  const summary = useRef<HTMLSpanElement>(null);
  useFocusWhenLost(item, summary);

  return (
    <li className="list__item" ref={item}>
      <span className="row row--tight" ref={summary} tabIndex={-1}>
        <span className="list__title">{name}</span>
        <BookingStatusBadge booking={booking} at={at} />
      </span>
      <span className="small">
        {t("staffBooking.code")} <span className="mono">{booking.code}</span> · {t(`actorRole.${booking.actorRole}`)} ·{" "}
        {t(`channel.${booking.channel}`)}
      </span>
      {homeVisitOf ? (
        <>
          {booking.address ? (
            <span className="strong">{t("staffBooking.visitAddress", { address: booking.address })}</span>
          ) : null}
          {booking.notes ? (
            <span className="pre-line">{t("staffBooking.visitNeeds", { needs: booking.notes })}</span>
          ) : null}
        </>
      ) : (
        <>
          {booking.address ? <span>{t("staffBooking.address", { address: booking.address })}</span> : null}
          {booking.notes ? <span className="pre-line">{t("staffBooking.notes", { notes: booking.notes })}</span> : null}
        </>
      )}
      {booking.assignee ? (
        <span className="strong">
          {t("staffBooking.assignee", { name: booking.assignee.name || t("person.unnamed") })}
        </span>
      ) : homeVisitOf && assignable ? (
        <span className="muted">{t("staffBooking.unassigned")}</span>
      ) : null}
      <div className="row">
        {phone !== null ? (
          phone ? (
            <a className="call" href={telHref(phone)} ref={call}>
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
      {actions.length > 0 || cancellable ? (
        <div className="row">
          {actions.map((action) => (
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
      {homeVisitOf && assignable ? <AssignStaff booking={booking} organisationId={homeVisitOf} name={name} /> : null}
    </li>
  );
}

/**
 * Sends a colleague on a home visit, or another one instead: the picker starts at whoever is
 * assigned now, and the slot's list is read again afterwards, so it shows the new assignee.
 */
function AssignStaff({
  booking,
  organisationId,
  name,
}: {
  booking: StaffBooking;
  organisationId: string;
  name: string;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const staff = useQuery(organisationStaffQuery(organisationId));
  const [choice, setChoice] = useState(booking.assignee?.accountId ?? "");
  const [invalid, setInvalid] = useState(false);
  const assign = useMutation({
    mutationFn: (accountId: string) =>
      unwrap(api.bookings[":id"].assign.$post({ param: { id: booking.id }, query: {}, json: { accountId } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slotBookingsQuery(booking.slot.id).queryKey }),
  });
  // Someone no longer on the staff list (their grant revoked) cannot be chosen again.
  const chosen = staff.data?.some((s) => s.accountId === choice) ? choice : "";

  function submit(event: FormEvent) {
    event.preventDefault();
    setInvalid(chosen === "");
    if (chosen !== "") assign.mutate(chosen);
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <SelectField
        label={
          <>
            {t("staffBooking.assign")}
            <span className="visually-hidden"> {name}</span>
          </>
        }
        hint={t("staffBooking.assignHint")}
        value={chosen}
        placeholder={staff.data || staff.isError ? t("staffBooking.assignChoose") : t("common.loading")}
        error={invalid ? t("invalid.assignee") : undefined}
        options={(staff.data ?? []).map((s) => ({
          value: s.accountId,
          label: t("staffBooking.assignOption", { name: s.name || t("person.unnamed"), role: t(`role.${s.role}`) }),
        }))}
        onChange={(e) => setChoice(e.target.value)}
      />
      <div>
        <button type="submit" className="button button--small" disabled={assign.isPending || !staff.data}>
          {t("staffBooking.assignSubmit")}
          <span className="visually-hidden"> {name}</span>
        </button>
      </div>
      {assign.data?.assignee ? (
        <SuccessNotice>
          {t("staffBooking.assigned", { name: assign.data.assignee.name || t("person.unnamed") })}
        </SuccessNotice>
      ) : null}
      <ErrorNotice error={staff.error ?? assign.error} />
      {staff.isError ? (
        <div>
          <button type="button" className="button button--secondary button--small" onClick={() => void staff.refetch()}>
            {t("common.retry")}
          </button>
        </div>
      ) : null}
    </form>
  );
}
