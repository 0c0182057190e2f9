import { Link } from "@tanstack/react-router";
import { formatWhen } from "../lib/bookings";
import { type Event, eventPlace, recurrenceText } from "../lib/events";
import { useT } from "../lib/i18n";
import { usePreferences } from "../lib/preferences";

/** What, when, where, for whom, access and whom to ask — also the staff editor's preview. */
export function EventDetails({ event }: { event: Event }) {
  const t = useT();
  const { locale } = usePreferences();
  const next = event.occurrences.find((o) => o.status === "open" && o.endsAt > Date.now());
  const place = eventPlace(event);
  return (
    <div className="card">
      <dl className="details">
        <dt>{t("event.category")}</dt>
        <dd>{t(`eventCategory.${event.category}`)}</dd>
        <dt>{t("event.audience")}</dt>
        <dd>{t(`eventAudience.${event.audience}`)}</dd>
        <dt>{t("event.when")}</dt>
        <dd>
          {event.recurrence ? <span className="block">{recurrenceText(t, event.recurrence)}</span> : null}
          {next ? (
            <span className="block">
              {t(event.recurrence ? "event.nextTime" : "event.time", {
                when: formatWhen(locale, next.startsAt, next.endsAt),
              })}
            </span>
          ) : (
            <span className="block muted">{t("event.noneAhead")}</span>
          )}
        </dd>
        {place ? (
          <>
            <dt>{t("event.place")}</dt>
            <dd>
              {event.facilityId && event.facilityName ? (
                <Link to="/facilities/$facilityId" params={{ facilityId: event.facilityId }} className="place-link">
                  {event.facilityName}
                </Link>
              ) : null}
              {event.facilityId && event.placeText ? " · " : null}
              {event.facilityId ? event.placeText : place}
              {event.facilityAddress ? <span className="block muted small">{event.facilityAddress}</span> : null}
            </dd>
          </>
        ) : null}
        <dt>{t("event.community")}</dt>
        <dd>{event.communityName ?? t("events.streetWide")}</dd>
        {event.accessibility.length > 0 || event.accessibilityNote ? (
          <>
            <dt>{t("event.accessibility")}</dt>
            <dd>
              {event.accessibility.length > 0 ? (
                <ul className="chips">
                  {event.accessibility.map((a) => (
                    <li key={a} className="chip">
                      {t(`eventAccess.${a}`)}
                    </li>
                  ))}
                </ul>
              ) : null}
              {event.accessibilityNote ? <span className="block">{event.accessibilityNote}</span> : null}
            </dd>
          </>
        ) : null}
        <dt>{t("event.contact")}</dt>
        <dd>{event.contact}</dd>
        <dt>{t("event.signup")}</dt>
        <dd>{event.signup ? t("event.signupNeeded") : t("events.noSignup")}</dd>
        {event.rating.count > 0 && event.rating.average !== null ? (
          <>
            <dt>{t("event.rating")}</dt>
            <dd>{t("event.ratingValue", { average: event.rating.average.toFixed(1), count: event.rating.count })}</dd>
          </>
        ) : null}
      </dl>
      {event.description ? <p className="pre-line">{event.description}</p> : null}
    </div>
  );
}
