import { useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import type { ActablePerson } from "../../worker/features/me/me.schema";
import {
  availabilityText,
  bookablePersons,
  formatDay,
  formatTimeRange,
  formatWhen,
  groupByDay,
  hasPriority,
  type Ineligibility,
  ineligibility,
  isActive,
  type Offering,
  personLabel,
  type Slot,
  shanghaiDate,
  slotAvailability,
} from "../lib/bookings";
import { useT } from "../lib/i18n";
import { useOfferingRules } from "../lib/offering-rules";
import { usePreferences } from "../lib/preferences";
import { meQuery, myBookingsQuery, slotsKeyOf } from "../lib/queries";
import { useNow } from "../lib/use-now";
import { RadioGroup } from "./fields";
import { ForWhom } from "./for-whom";

/**
 * Booking on an offering's page (a service, an event): whom for — the signed-in account or a
 * person it acts for, chosen when there are several — why that person may not book, and the
 * times with their free places and a button to book each.
 */
export function BookingSection({
  offering,
  slots,
  personId,
  onChoosePerson,
  signInRedirect,
}: {
  offering: Offering;
  slots: Slot[];
  /** The person chosen (a search parameter of the page). */
  personId: string | undefined;
  onChoosePerson: (personId: string) => void;
  signInRedirect: string;
}) {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  const persons = me ? bookablePersons(me) : [];
  const chosen = (persons.length === 1 ? persons[0] : persons.find((p) => p.id === personId)) ?? null;
  // Age is checked on each slot's day: someone turning 60 next week may book from then on. What
  // keeps them from every slot shown (even the last, when they are oldest) is said up front.
  const lastDate = shanghaiDate(slots.at(-1)?.startsAt ?? Date.now());
  const problem = chosen ? ineligibility(offering, chosen, lastDate) : null;
  return (
    <>
      <section className="section" aria-labelledby="for-whom-title">
        <h2 id="for-whom-title">{t("offering.forWhomTitle")}</h2>
        {!me ? (
          <div className="card">
            <p>{t("offering.signInToBook")}</p>
            <Link to="/login" search={{ redirect: signInRedirect }} className="button button--block">
              {t("common.signIn")}
            </Link>
          </div>
        ) : persons.length > 1 ? (
          <div className="card">
            <RadioGroup
              legend={t("offering.chooseWho")}
              name="person"
              value={chosen?.id ?? ""}
              onChange={onChoosePerson}
              options={persons.map((p) => ({ value: p.id, label: personLabel(t, p) }))}
            />
          </div>
        ) : null}
        {chosen ? <ForWhom name={chosen.name} /> : null}
        {chosen && problem ? <IneligibleNotice problem={problem} person={chosen} offering={offering} /> : null}
      </section>

      <Slots offering={offering} slots={slots} person={problem ? null : chosen} askForPerson={!!me && !chosen} />
    </>
  );
}

function IneligibleNotice({
  problem,
  person,
  offering,
}: {
  problem: Ineligibility;
  person: ActablePerson;
  offering: Offering;
}) {
  const t = useT();
  const rules = useOfferingRules(offering);
  const self = person.relationship === "self";
  const name = person.name || t("person.unnamed");
  return (
    <div className="notice notice--warn">
      {problem === "birthDateMissing" ? (
        self ? (
          <>
            <p>{t("eligibility.birthDateSelf")}</p>
            <p>
              <Link to="/me" className="button button--secondary button--small">
                {t("eligibility.setBirthDate")}
              </Link>
            </p>
          </>
        ) : (
          <p>{t("eligibility.birthDateOther", { name })}</p>
        )
      ) : problem === "tooYoung" ? (
        <p>{t("eligibility.tooYoung", { name, age: offering.minAge ?? 0 })}</p>
      ) : problem === "personType" ? (
        <p>{t("eligibility.personType", { name, names: rules.personTypeNames ?? "" })}</p>
      ) : (
        <p>{t("eligibility.community", { name, rule: rules.communities ?? "" })}</p>
      )}
    </div>
  );
}

function Slots({
  offering,
  slots,
  person,
  askForPerson,
}: {
  offering: Offering;
  slots: Slot[];
  /** The person booking is for, when they may book; null shows availability without links. */
  person: ActablePerson | null;
  askForPerson: boolean;
}) {
  const t = useT();
  const { locale } = usePreferences();
  const { data: me } = useSuspenseQuery(meQuery);
  const mine = useQuery({ ...myBookingsQuery({ when: "upcoming" }), enabled: me !== null });
  const booked = new Map(
    (mine.data ?? [])
      .filter((b) => person && b.person.id === person.id && isActive(b.status))
      .map((b) => [b.slot.id, b]),
  );
  // The list follows the clock: booking opens (earlier for the priority age) and closes at the
  // times it shows, and someone waiting with the page open sees the button come — with the free
  // places read again then, as they may go fast once booking opens (only then: coming back to the
  // page is React Query's own refetch).
  const moments = slots.flatMap((s) =>
    s.priorityOpensAt === null ? [s.opensAt, s.closesAt] : [s.priorityOpensAt, s.opensAt, s.closesAt],
  );
  const now = useNow(moments);
  const passed = moments.filter((m) => m < now).length;
  const queryClient = useQueryClient();
  const shownPassed = useRef(passed);
  useEffect(() => {
    const crossed = passed > shownPassed.current;
    shownPassed.current = passed;
    if (crossed) void queryClient.invalidateQueries({ queryKey: slotsKeyOf(offering.id) });
  }, [passed, offering.id, queryClient]);
  const days = groupByDay(slots, (s) => s.startsAt);
  const priority = person !== null && slots.some((slot) => hasPriority(offering, person, slot));

  return (
    <section className="section" aria-labelledby="slots-title">
      <h2 id="slots-title">{t("offering.slots")}</h2>
      {askForPerson ? <p className="muted">{t("offering.chooseWhoFirst")}</p> : null}
      {person && priority ? <PriorityNotice offering={offering} person={person} /> : null}
      {days.length === 0 ? <p className="muted">{t("offering.noSlots")}</p> : null}
      {days.map((day) => (
        <div key={day.date} className="section">
          <h3>{formatDay(locale, day.items[0]?.startsAt ?? 0)}</h3>
          <ul className="list">
            {day.items.map((slot) => {
              const availability = slotAvailability(offering, slot, person, now);
              const booking = booked.get(slot.id);
              const when = formatWhen(locale, slot.startsAt, slot.endsAt);
              const open = availability.kind === "free" || availability.kind === "waitlist";
              const tooYoung =
                person !== null && ineligibility(offering, person, shanghaiDate(slot.startsAt)) === "tooYoung";
              return (
                <li key={slot.id} className="list__item slot">
                  <div className="slot__text">
                    <span className="slot__time">{formatTimeRange(slot.startsAt, slot.endsAt)}</span>
                    <span className={`slot__availability slot__availability--${availability.kind}`}>
                      {availabilityText(t, locale, availability)}
                    </span>
                    {tooYoung ? (
                      <span className="small strong">{t("slot.notYetOfAge", { age: offering.minAge ?? 0 })}</span>
                    ) : null}
                    {"early" in availability && availability.early ? (
                      <span className="small strong">{t("slot.early")}</span>
                    ) : null}
                    {slot.note ? (
                      <span className="small">
                        {offering.category === "meal"
                          ? t("slot.menu", { note: slot.note })
                          : t("slot.note", { note: slot.note })}
                      </span>
                    ) : null}
                  </div>
                  {booking ? (
                    <Link
                      to="/bookings/$bookingId"
                      params={{ bookingId: booking.id }}
                      className="button button--secondary button--small"
                    >
                      {/* What the place is — 候补中 is not a place yet, 待确认 not confirmed. */}
                      {t("slot.booked", { status: t(`bookingStatus.${booking.status}`) })}
                      <span className="visually-hidden"> {when}</span>
                    </Link>
                  ) : person && open && !tooYoung ? (
                    <Link
                      to="/services/$offeringId/book"
                      params={{ offeringId: offering.id }}
                      search={{ slot: slot.id, person: person.id }}
                      className="button button--small"
                    >
                      {availability.kind === "waitlist" ? t("slot.joinWaitlist") : t("slot.book")}
                      <span className="visually-hidden"> {when}</span>
                    </Link>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** "80岁以上老人可提前一天预约。张桂兰已满 80 岁，可以提前预约。" */
function PriorityNotice({ offering, person }: { offering: Offering; person: ActablePerson }) {
  const t = useT();
  const age = offering.priorityAge ?? 0;
  const rule =
    offering.priorityDays === 1
      ? t("priority.oneDay", { age })
      : t("priority.days", { age, days: offering.priorityDays });
  return (
    <p className="notice notice--info">
      {t("priority.forPerson", { rule, name: person.name || t("person.unnamed"), age })}
    </p>
  );
}
