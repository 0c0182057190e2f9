import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { categoryName, formatMoment } from "../../../lib/bookings";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { staffOfferingsQuery } from "../../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../../lib/roles";

export const Route = createFileRoute("/staff/offerings/")({
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient, me } }) =>
    queryClient.ensureQueryData(staffOfferingsQuery(staffOrganisations(me))),
  component: StaffOfferingsPage,
});

function StaffOfferingsPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { me } = Route.useRouteContext();
  const { data: all } = useSuspenseQuery(staffOfferingsQuery(staffOrganisations(me)));
  // Events have their own pages (their workflow and dates): 活动 in the staff menu.
  // Events and courses have their own pages (活动, 培训).
  const offerings = all.filter((o) => o.kind !== "event" && o.kind !== "training");
  return (
    <>
      <PageHeading title={t("staffOfferings.title")} lead={t("staffOfferings.lead")} />
      {offerings.length === 0 ? (
        <p className="muted">{t("staffOfferings.empty")}</p>
      ) : (
        <ul className="list">
          {offerings.map((o) => (
            <li key={o.id} className="list__item">
              <Link to="/staff/offerings/$offeringId" params={{ offeringId: o.id }} className="list__link">
                <span className="list__text">
                  <span className="list__title">{o.title}</span>
                  <span>{o.organisationName}</span>
                  <span className="muted small">
                    {[
                      categoryName(t, o.category),
                      o.nextSlotAt
                        ? t("services.next", { when: formatMoment(locale, o.nextSlotAt) })
                        : t("services.noSlots"),
                    ].join(" · ")}
                  </span>
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
