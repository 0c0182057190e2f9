import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, useRouterState } from "@tanstack/react-router";
import { Fragment } from "react";
import { Icon } from "../../components/icon";
import { OpenBadge } from "../../components/open-badge";
import { PageHeading } from "../../components/page";
import { ApiError } from "../../lib/api";
import { formatPrice } from "../../lib/bookings";
import {
  formatRanges,
  hasHours,
  kindName,
  type OpeningHours,
  shanghaiToday,
  telHref,
  upcomingExceptions,
  WEEKDAYS,
} from "../../lib/facilities";
import { formatDate, type MessageKey, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { careOfferingsQuery, facilityQuery } from "../../lib/queries";

export const Route = createFileRoute("/facilities/$facilityId")({
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await queryClient.ensureQueryData(facilityQuery(params.facilityId));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: FacilityPage,
});

function FacilityPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { facilityId } = Route.useParams();
  const { data: facility } = useSuspenseQuery(facilityQuery(facilityId));
  const backSearch = useRouterState({ select: (s) => s.location.state.nearbySearch });
  const { stepFree, lift, accessibleToilet } = facility.accessibility;

  return (
    <div className="page">
      <p>
        <Link to="/nearby" search={backSearch ?? {}} className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("facility.back")}
        </Link>
      </p>
      <PageHeading title={facility.name} lead={kindName(facility.kind, locale)} />
      <div className="card stack">
        <div className="row">
          <OpenBadge openNow={facility.openNow} />
        </div>
        {facility.address ? (
          <p>
            <span className="visually-hidden">{t("facility.address")}</span>
            {facility.address}
          </p>
        ) : null}
        {facility.phone ? (
          <a className="call call--large" href={telHref(facility.phone)}>
            <Icon name="phone" className="call__icon" />
            {t("facility.call")} <span className="call__number">{facility.phone}</span>
          </a>
        ) : (
          <p className="muted">{t("facility.noPhone")}</p>
        )}
      </div>

      <HoursSection hours={facility.openingHours} />

      <section className="section" aria-labelledby="access-title">
        <h2 id="access-title">{t("facility.accessibility")}</h2>
        <dl className="list facts">
          <Fact label="facility.stepFree" value={stepFree} />
          <Fact label="facility.lift" value={lift} />
          <Fact label="facility.accessibleToilet" value={accessibleToilet} />
        </dl>
      </section>

      {facility.services.length > 0 ? (
        <section className="section" aria-labelledby="services-title">
          <h2 id="services-title">{t("facility.services")}</h2>
          <ul className="chips">
            {facility.services.map((s) => (
              <li key={s} className="chip">
                {s}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {facility.organisationName ? (
        <section className="section" aria-labelledby="org-title">
          <h2 id="org-title">{t("facility.organisation")}</h2>
          <div className="card">
            <p className="list__title">{facility.organisationName}</p>
          </div>
        </section>
      ) : null}

      <BookableHere facilityId={facility.id} />

      {facility.notes ? (
        <section className="section" aria-labelledby="notes-title">
          <h2 id="notes-title">{t("facility.notes")}</h2>
          <p>{facility.notes}</p>
        </section>
      ) : null}

      <p className="muted small">{t("facility.updated", { date: formatDate(locale, facility.updatedAt) })}</p>
    </div>
  );
}

/** The care services offered at this place, if any, each a link to book it. */
function BookableHere({ facilityId }: { facilityId: string }) {
  const t = useT();
  const { data: offerings } = useQuery(careOfferingsQuery);
  const here = (offerings ?? []).filter((o) => o.facilityId === facilityId);
  if (here.length === 0) return null;
  return (
    <section className="section" aria-labelledby="bookable-title">
      <h2 id="bookable-title">{t("facility.bookable")}</h2>
      <ul className="list">
        {here.map((o) => (
          <li key={o.id} className="list__item">
            <Link to="/services/$offeringId" params={{ offeringId: o.id }} className="list__link">
              <span className="list__text">
                <span className="list__title">{o.title}</span>
                <span className="muted small">{formatPrice(t, o.priceFen)}</span>
              </span>
              <Icon name="chevron" className="chevron" />
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Fact({ label, value }: { label: MessageKey; value: boolean }) {
  const t = useT();
  return (
    <div className="list__item facts__item">
      <dt>{t(label)}</dt>
      <dd className={value ? "fact fact--yes" : "fact fact--no"}>{value ? t("common.yes") : t("common.no")}</dd>
    </div>
  );
}

function HoursSection({ hours }: { hours: OpeningHours }) {
  const t = useT();
  const { locale } = usePreferences();
  const today = shanghaiToday();
  const exceptions = upcomingExceptions(hours, today.date);
  const todayException = exceptions.find((e) => e.from <= today.date && today.date <= e.to);

  return (
    <section className="section" aria-labelledby="hours-title">
      <h2 id="hours-title">{t("facility.hours")}</h2>
      {!hasHours(hours) ? (
        <p className="muted">{t("facility.noHours")}</p>
      ) : (
        <>
          {todayException ? (
            <p className="notice notice--info">
              {t("facility.todayException", {
                hours: todayException.closed ? t("hours.closed") : formatRanges(todayException.hours, t),
                note: todayException.note ?? t("facility.specialDay"),
              })}
            </p>
          ) : null}
          <table className="hours">
            <caption className="visually-hidden">{t("facility.weeklyHours")}</caption>
            <thead className="visually-hidden">
              <tr>
                <th scope="col">{t("facility.day")}</th>
                <th scope="col">{t("facility.openingTimes")}</th>
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map((day) => {
                const isToday = day === today.weekday;
                return (
                  <tr
                    key={day}
                    className={isToday ? "hours__today" : undefined}
                    aria-current={isToday ? "date" : undefined}
                  >
                    <th scope="row">
                      <span className="hours__day">{t(`weekday.${day}`)}</span>
                      <span className="hours__day-short">{t(`weekdayShort.${day}`)}</span>
                      {isToday ? <span className="hours__today-mark">{t("facility.today")}</span> : null}
                    </th>
                    <td>
                      <Ranges ranges={hours.weekly[day] ?? []} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {exceptions.length > 0 ? (
            <>
              <h3>{t("facility.exceptions")}</h3>
              <ul className="list">
                {exceptions.map((e) => (
                  <li key={`${e.from}-${e.to}`} className="list__item">
                    <span className="list__title">
                      {e.from === e.to
                        ? formatDate(locale, e.from)
                        : t("facility.dateRange", { from: formatDate(locale, e.from), to: formatDate(locale, e.to) })}
                      {e.note ? ` · ${e.note}` : ""}
                    </span>
                    <span>{e.closed ? t("hours.closed") : <Ranges ranges={e.hours} />}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

/** Opening ranges, each kept on one line ("08:00–12:00"), wrapping only between ranges. */
function Ranges({ ranges }: { ranges: ReadonlyArray<readonly [string, string]> }) {
  const t = useT();
  const text = formatRanges(ranges, t);
  const parts = text.split(t("hours.separator"));
  // The separator stays outside the unbreakable ranges, so a line may break after it.
  return parts.map((part, i) => (
    <Fragment key={part}>
      <span className="hours__range">{part}</span>
      {i < parts.length - 1 ? t("hours.separator") : null}
    </Fragment>
  ));
}
