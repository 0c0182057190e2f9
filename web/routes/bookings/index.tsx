import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import type { Me } from "../../../worker/features/me/me.schema";
import { BookingStatusBadge } from "../../components/booking-status";
import { RadioGroup, SelectField } from "../../components/fields";
import { Icon } from "../../components/icon";
import { EmptyState, PageHeading } from "../../components/page";
import { bookablePersons, formatWhen, personLabel } from "../../lib/bookings";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { calendarFeedQuery, meQuery, myBookingsQuery } from "../../lib/queries";
import { CalendarFeed } from "./-components/calendar-feed";

const BookingsSearch = z.object({
  when: z.enum(["upcoming", "past"]).default("upcoming").catch("upcoming"),
  /** Only this person's bookings; absent: everyone's I book for. */
  person: z.string().min(1).max(64).optional().catch(undefined),
});

/**
 * The person filter, if it names someone whose bookings this account handles (itself, or a link
 * for bookings — not a health-only one, whose bookings the API does not list to it).
 */
function personFilter(me: Me, person: string | undefined): string | undefined {
  return bookablePersons(me).some((p) => p.id === person) ? person : undefined;
}

export const Route = createFileRoute("/bookings/")({
  validateSearch: BookingsSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient, me }, deps }) =>
    me
      ? Promise.all([
          queryClient.ensureQueryData(myBookingsQuery({ when: deps.when, personId: personFilter(me, deps.person) })),
          queryClient.ensureQueryData(calendarFeedQuery),
        ])
      : null,
  component: BookingsPage,
});

function BookingsPage() {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  if (!me) {
    return (
      <div className="page">
        <PageHeading title={t("bookings.title")} />
        <section className="card" aria-labelledby="signed-out-title">
          <h2 id="signed-out-title">{t("me.signedOutTitle")}</h2>
          <p>{t("bookings.signedOut")}</p>
          <Link to="/login" search={{ redirect: "/bookings" }} className="button button--block">
            {t("common.signIn")}
          </Link>
        </section>
        <ServicesLink />
      </div>
    );
  }
  return <MyBookings me={me} />;
}

function ServicesLink() {
  const t = useT();
  return (
    <p>
      <Link to="/services" className="button button--block">
        <Icon name="care" className="button__icon" />
        {t("bookings.bookService")}
      </Link>
    </p>
  );
}

function MyBookings({ me }: { me: Me }) {
  const t = useT();
  const { locale } = usePreferences();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const persons = bookablePersons(me);
  const personId = personFilter(me, search.person);
  const { data: bookings } = useSuspenseQuery(myBookingsQuery({ when: search.when, personId }));

  return (
    <div className="page">
      <PageHeading title={t("bookings.title")} lead={t("bookings.lead")} />
      <ServicesLink />
      <search className="card form">
        <RadioGroup
          legend={t("bookings.whenLegend")}
          name="when"
          inline
          value={search.when}
          onChange={(value) =>
            navigate({ search: (s) => ({ ...s, when: value === "past" ? "past" : "upcoming" }), replace: true })
          }
          options={[
            { value: "upcoming", label: t("bookings.upcoming") },
            { value: "past", label: t("bookings.past") },
          ]}
        />
        {persons.length > 1 ? (
          <SelectField
            label={t("bookings.personFilter")}
            value={personId ?? ""}
            placeholder={t("bookings.everyone")}
            options={persons.map((p) => ({ value: p.id, label: personLabel(t, p) }))}
            onChange={(e) =>
              navigate({ search: (s) => ({ ...s, person: e.target.value || undefined }), replace: true })
            }
          />
        ) : null}
      </search>
      <section className="section" aria-labelledby="booking-list-title">
        <h2 id="booking-list-title">
          {search.when === "past" ? t("bookings.pastTitle") : t("bookings.upcomingTitle")}
        </h2>
        <p className="muted" role="status">
          {t("bookings.count", { count: bookings.length })}
        </p>
        {bookings.length === 0 ? (
          <EmptyState
            icon="bookings"
            title={search.when === "past" ? t("bookings.emptyPastTitle") : t("bookings.emptyTitle")}
            body={t("bookings.emptyBody")}
          />
        ) : (
          <ul className="list">
            {bookings.map((b) => (
              <li key={b.id} className="list__item">
                <Link to="/bookings/$bookingId" params={{ bookingId: b.id }} className="list__link">
                  <span className="list__text">
                    <span className="list__title">{b.offering.title}</span>
                    <span className="strong">
                      {t("bookings.forPerson", { name: b.person.name || t("person.unnamed") })}
                    </span>
                    <span>{formatWhen(locale, b.slot.startsAt, b.slot.endsAt)}</span>
                    <span className="muted small">{b.offering.organisationName}</span>
                    <BookingStatusBadge booking={b} />
                  </span>
                  <Icon name="chevron" className="chevron" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <CalendarFeed />
    </div>
  );
}
