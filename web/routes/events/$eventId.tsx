import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { BookingSection } from "../../components/booking-section";
import { SuccessNotice } from "../../components/error-notice";
import { EventDetails } from "../../components/event-details";
import { Icon } from "../../components/icon";
import { PageHeading } from "../../components/page";
import { ApiError } from "../../lib/api";
import { formatDay, formatTimeRange, groupByDay } from "../../lib/bookings";
import { type Event, eventQuery } from "../../lib/events";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { offeringQuery, offeringSlotsQuery, slotsHorizon } from "../../lib/queries";

const EventSearch = z.object({
  /** The person the reader chose to sign up. */
  person: z.string().min(1).max(64).optional().catch(undefined),
});

/** Sign-up goes through the booking engine: an event taking sign-ups, published and not cancelled. */
const takesSignups = (e: Event) => e.signup && e.workflow === "published";

export const Route = createFileRoute("/events/$eventId")({
  validateSearch: EventSearch,
  loader: async ({ context: { queryClient }, params }) => {
    try {
      const event = await queryClient.ensureQueryData(eventQuery(params.eventId));
      if (takesSignups(event)) {
        await Promise.all([
          queryClient.ensureQueryData(offeringQuery(params.eventId)),
          queryClient.ensureQueryData(offeringSlotsQuery(params.eventId, slotsHorizon("event"))),
        ]);
      }
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: EventPage,
});

function EventPage() {
  const t = useT();
  const { eventId } = Route.useParams();
  const { data: event } = useSuspenseQuery(eventQuery(eventId));
  return (
    <div className="page">
      <p>
        <Link to="/events" className="back-link" activeOptions={{ exact: true }}>
          <Icon name="chevron" className="back-link__icon" />
          {t("event.back")}
        </Link>
      </p>
      <PageHeading title={event.title} lead={event.organisationName} />
      {event.workflow === "cancelled" ? (
        <div className="notice notice--warn" role="status">
          <p className="strong">{t("event.cancelledTitle")}</p>
          {event.reviewNote ? <p>{t("event.cancelledReason", { reason: event.reviewNote })}</p> : null}
        </div>
      ) : event.workflow !== "published" ? (
        <p className="notice notice--info">{t(`eventWorkflow.${event.workflow}Note`)}</p>
      ) : null}
      <EventDetails event={event} />
      <EventActions event={event} />
      {takesSignups(event) ? <SignUp event={event} /> : <Occurrences event={event} />}
      {event.may.edit || event.may.review ? (
        <p>
          <Link to="/staff/events/$eventId" params={{ eventId }} className="button button--secondary button--block">
            {t("event.manage")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

/** Add to my calendar (.ics) and share the page. */
function EventActions({ event }: { event: Event }) {
  const t = useT();
  const [copied, setCopied] = useState<"copied" | "select" | null>(null);
  if (event.workflow !== "published" && event.workflow !== "cancelled") return null;
  const url = `${window.location.origin}/events/${event.id}`;

  async function share() {
    if (navigator.share) {
      try {
        await navigator.share({ title: event.title, url });
        return;
      } catch {
        // Dismissed, or not allowed here: the link is offered to copy instead.
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setCopied("copied");
    } catch {
      setCopied("select");
    }
  }

  return (
    <section className="section" aria-labelledby="event-actions-title">
      <h2 id="event-actions-title" className="visually-hidden">
        {t("event.actionsTitle")}
      </h2>
      <div className="row">
        <a href={`/api/events/${event.id}/calendar.ics`} className="button button--secondary" download>
          <Icon name="calendar" className="button__icon" />
          {t("event.addToCalendar")}
        </a>
        <button type="button" className="button button--secondary" onClick={share} data-action="share">
          {t("event.share")}
        </button>
      </div>
      {copied === "copied" ? <SuccessNotice>{t("event.linkCopied")}</SuccessNotice> : null}
      {copied === "select" ? (
        <p role="status">
          {t("event.linkToCopy")} <span className="mono break-all">{url}</span>
        </p>
      ) : null}
    </section>
  );
}

function SignUp({ event }: { event: Event }) {
  const { person } = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const { data: offering } = useSuspenseQuery(offeringQuery(event.id));
  const slots = useQuery(offeringSlotsQuery(event.id, slotsHorizon("event")));
  return (
    <BookingSection
      offering={offering}
      slots={slots.data ?? []}
      personId={person}
      onChoosePerson={(value) => navigate({ search: { person: value }, replace: true, resetScroll: false })}
      signInRedirect={`/events/${event.id}`}
    />
  );
}

/** The dates of an event without sign-up (or not open for it): just come along. */
function Occurrences({ event }: { event: Event }) {
  const t = useT();
  const { locale } = usePreferences();
  const ahead = event.occurrences.filter((o) => o.endsAt > Date.now());
  return (
    <section className="section" aria-labelledby="occurrences-title">
      <h2 id="occurrences-title">{t("event.dates")}</h2>
      {event.workflow === "published" && !event.signup ? <p>{t("event.justCome")}</p> : null}
      {ahead.length === 0 ? <p className="muted">{t("event.noneAhead")}</p> : null}
      {groupByDay(ahead, (o) => o.startsAt).map((day) => (
        <div key={day.date} className="section">
          <h3>{formatDay(locale, day.items[0]?.startsAt ?? 0)}</h3>
          <ul className="list">
            {day.items.map((o) => (
              <li key={o.id} className="list__item slot">
                <span className="slot__time">{formatTimeRange(o.startsAt, o.endsAt)}</span>
                {o.status === "cancelled" ? <span className="badge badge--muted">{t("events.cancelled")}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
