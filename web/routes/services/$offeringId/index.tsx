import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { BookingSection } from "../../../components/booking-section";
import { Icon } from "../../../components/icon";
import { OfferingPlace } from "../../../components/offering-place";
import { PageHeading } from "../../../components/page";
import { ApiError } from "../../../lib/api";
import { categoryName, formatPrice, type Offering } from "../../../lib/bookings";
import { useT } from "../../../lib/i18n";
import { useOfferingRules } from "../../../lib/offering-rules";
import {
  communitiesQuery,
  myBookingsQuery,
  offeringQuery,
  offeringSlotsQuery,
  personTypesQuery,
} from "../../../lib/queries";

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
  const { data: offering } = useSuspenseQuery(offeringQuery(offeringId));
  const { data: slots } = useSuspenseQuery(offeringSlotsQuery(offeringId));

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

      <BookingSection
        offering={offering}
        slots={slots}
        personId={personId}
        onChoosePerson={(value) => navigate({ search: { person: value }, replace: true, resetScroll: false })}
        signInRedirect={`/services/${offeringId}`}
      />
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
