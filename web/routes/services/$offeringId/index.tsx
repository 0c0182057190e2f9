import { useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, useNavigate } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { z } from "zod";
import type { ActablePerson } from "../../../../worker/features/me/me.schema";
import { RadioGroup } from "../../../components/fields";
import { ForWhom } from "../../../components/for-whom";
import { Icon } from "../../../components/icon";
import { OfferingPlace } from "../../../components/offering-place";
import { PageHeading } from "../../../components/page";
import { ApiError } from "../../../lib/api";
import {
  availabilityText,
  bookablePersons,
  categoryName,
  formatDay,
  formatPrice,
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
} from "../../../lib/bookings";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import {
  communitiesQuery,
  meQuery,
  myBookingsQuery,
  offeringQuery,
  offeringSlotsQuery,
  personTypesQuery,
} from "../../../lib/queries";
import { useNow } from "../../../lib/use-now";
import { useOfferingRules } from "../-components/offering-rules";

const OfferingSearch = z.object({
  /** The person the reader chose to book for. */
  person: z.string().min(1).max(64).optional().catch(undefined),
});

export const Route = createFileRoute("/services/$offeringId/")({
  validateSearch: OfferingSearch,
  loader: async ({ context: { queryClient, me }, params }) => {
    try {
      await Promise.all([
        queryClient.ensureQueryData(offeringQuery(params.offeringId)),
        queryClient.ensureQueryData(offeringSlotsQuery(params.offeringId)),
        queryClient.ensureQueryData(communitiesQuery),
        queryClient.ensureQueryData(personTypesQuery),
        me ? queryClient.ensureQueryData(myBookingsQuery({ when: "upcoming" })) : null,
      ]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: OfferingPage,
});

function OfferingPage() {
  const t = useT();
  const { offeringId } = Route.useParams();
  const { person: personId } = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const { data: me } = useSuspenseQuery(meQuery);
  const { data: offering } = useSuspenseQuery(offeringQuery(offeringId));
  const { data: slots } = useSuspenseQuery(offeringSlotsQuery(offeringId));
  const persons = me ? bookablePersons(me) : [];
  const chosen = (persons.length === 1 ? persons[0] : persons.find((p) => p.id === personId)) ?? null;
  // Age is checked on each slot's day: someone turning 60 next week may book from then on. What
  // keeps them from every slot shown (even the last, when they are oldest) is said up front.
  const lastDate = shanghaiDate(slots.at(-1)?.startsAt ?? Date.now());
  const problem = chosen ? ineligibility(offering, chosen, lastDate) : null;

  return (
    <div className="page">
      <p>
        <Link to="/services" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("offering.back")}
        </Link>
      </p>
      <PageHeading title={offering.title} lead={offering.organisationName} />
      <About offering={offering} />
      <Rules offering={offering} />

      <section className="section" aria-labelledby="for-whom-title">
        <h2 id="for-whom-title">{t("offering.forWhomTitle")}</h2>
        {!me ? (
          <div className="card">
            <p>{t("offering.signInToBook")}</p>
            <Link to="/login" search={{ redirect: `/services/${offeringId}` }} className="button button--block">
              {t("common.signIn")}
            </Link>
          </div>
        ) : persons.length > 1 ? (
          <div className="card">
            <RadioGroup
              legend={t("offering.chooseWho")}
              name="person"
              value={chosen?.id ?? ""}
              onChange={(value) => navigate({ search: { person: value }, replace: true, resetScroll: false })}
              options={persons.map((p) => ({ value: p.id, label: personLabel(t, p) }))}
            />
          </div>
        ) : null}
        {chosen ? <ForWhom name={chosen.name} /> : null}
        {chosen && problem ? <IneligibleNotice problem={problem} person={chosen} offering={offering} /> : null}
      </section>

      <Slots offering={offering} slots={slots} person={problem ? null : chosen} askForPerson={!!me && !chosen} />
    </div>
  );
}

function About({ offering }: { offering: Offering }) {
  const t = useT();
  const rules = useOfferingRules(offering);
  return (
    <div className="card">
      <dl className="details">
        <dt>{t("offering.category")}</dt>
        <dd>{categoryName(t, offering.category)}</dd>
        {rules.personTypes ? (
          <>
            <dt>{t("offering.forWhomTypes")}</dt>
            <dd className="strong">{rules.personTypes}</dd>
          </>
        ) : null}
        <OfferingPlace offering={offering} />
        <dt>{t("offering.cost")}</dt>
        <dd>
          {formatPrice(t, offering.priceFen)}
          {offering.subsidyNote ? <span className="block muted">{offering.subsidyNote}</span> : null}
        </dd>
      </dl>
      {offering.description ? <p>{offering.description}</p> : null}
    </div>
  );
}

function Rules({ offering }: { offering: Offering }) {
  const t = useT();
  const rules = useOfferingRules(offering);
  const lines = [
    rules.age,
    rules.communities,
    rules.opens,
    rules.closes,
    rules.cancel,
    rules.waitlist,
    rules.confirmation,
    rules.address,
    rules.limit,
  ].filter((line): line is string => Boolean(line));
  return (
    <section className="section" aria-labelledby="rules-title">
      <h2 id="rules-title">{t("offering.rules")}</h2>
      <ul className="rules">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
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
    if (crossed) void queryClient.invalidateQueries({ queryKey: offeringSlotsQuery(offering.id).queryKey });
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
