import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { Icon } from "../../components/icon";
import { PageHeading } from "../../components/page";
import { CARE_CATEGORIES, categoryName, formatMoment, formatPrice, type Offering } from "../../lib/bookings";
import { useT } from "../../lib/i18n";
import { useOfferingRules } from "../../lib/offering-rules";
import { usePreferences } from "../../lib/preferences";
import { careOfferingsQuery, communitiesQuery, personTypesQuery } from "../../lib/queries";

export const Route = createFileRoute("/services/")({
  loader: ({ context: { queryClient } }) =>
    Promise.all([
      queryClient.ensureQueryData(careOfferingsQuery),
      queryClient.ensureQueryData(communitiesQuery),
      queryClient.ensureQueryData(personTypesQuery),
    ]),
  component: ServicesPage,
});

/** Offerings grouped by category, known categories first in their usual order. */
function groupByCategory(offerings: Offering[]) {
  const known: readonly string[] = CARE_CATEGORIES;
  const categories = [
    ...CARE_CATEGORIES.filter((c) => offerings.some((o) => o.category === c)),
    ...new Set(offerings.map((o) => o.category ?? "other").filter((c) => !known.includes(c))),
  ];
  return categories.map((category) => ({
    category,
    offerings: offerings.filter((o) => (o.category ?? "other") === category),
  }));
}

function ServicesPage() {
  const t = useT();
  const { data: offerings } = useSuspenseQuery(careOfferingsQuery);
  const groups = groupByCategory(offerings);
  return (
    <div className="page">
      <PageHeading title={t("services.title")} lead={t("services.lead")} />
      <p>
        <Link to="/bookings" className="button button--secondary button--block">
          <Icon name="bookings" className="button__icon" />
          {t("services.myBookings")}
        </Link>
      </p>
      {groups.length === 0 ? <p className="muted">{t("services.empty")}</p> : null}
      {groups.map((group) => (
        <section key={group.category} className="section" aria-labelledby={`category-${group.category}`}>
          <h2 id={`category-${group.category}`}>{categoryName(t, group.category)}</h2>
          <ul className="list">
            {group.offerings.map((offering) => (
              <OfferingItem key={offering.id} offering={offering} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function OfferingItem({ offering }: { offering: Offering }) {
  const t = useT();
  const { locale } = usePreferences();
  const rules = useOfferingRules(offering);
  const place =
    offering.facilityName && offering.facilityName !== offering.organisationName
      ? `${offering.organisationName} · ${offering.facilityName}`
      : offering.organisationName;
  return (
    <li className="list__item">
      <Link to="/services/$offeringId" params={{ offeringId: offering.id }} className="list__link">
        <span className="list__text">
          <span className="list__title">{offering.title}</span>
          <span>{place}</span>
          <span className="muted small">
            {[formatPrice(t, offering.priceFen), rules.age, rules.communities].filter(Boolean).join(" · ")}
          </span>
          {rules.personTypes ? <span className="small">{rules.personTypes}</span> : null}
          {offering.subsidyNote ? <span className="muted small secondary">{offering.subsidyNote}</span> : null}
          <span className="small">
            {offering.nextSlotAt
              ? t("services.next", { when: formatMoment(locale, offering.nextSlotAt) })
              : t("services.noSlots")}
          </span>
        </span>
        <Icon name="chevron" className="chevron" />
      </Link>
    </li>
  );
}
