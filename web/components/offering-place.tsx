import { Link } from "@tanstack/react-router";
import { useT } from "../lib/i18n";

/** The "place" row of an offering's details list: the facility, linked to its page when it has one. */
export function OfferingPlace({ offering }: { offering: { facilityId: string | null; facilityName: string | null } }) {
  const t = useT();
  if (!offering.facilityName) return null;
  return (
    <>
      <dt>{t("offering.place")}</dt>
      <dd>
        {offering.facilityId ? (
          <Link to="/facilities/$facilityId" params={{ facilityId: offering.facilityId }} className="place-link">
            {offering.facilityName}
          </Link>
        ) : (
          offering.facilityName
        )}
      </dd>
    </>
  );
}
