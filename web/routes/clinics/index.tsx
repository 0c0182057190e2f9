import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { Icon } from "../../components/icon";
import { OpenBadge } from "../../components/open-badge";
import { PageHeading } from "../../components/page";
import { clinicsQuery } from "../../lib/clinics";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { meQuery, nearbyQuery } from "../../lib/queries";

export const Route = createFileRoute("/clinics/")({
  loader: ({ context: { queryClient } }) =>
    Promise.all([queryClient.ensureQueryData(clinicsQuery), queryClient.ensureQueryData(meQuery)]),
  component: ClinicsPage,
});

const CLINIC_KINDS = ["community_health_station", "community_hospital"];

function ClinicsPage() {
  const t = useT();
  const { elderMode } = usePreferences();
  const { data: clinics } = useSuspenseQuery(clinicsQuery);
  const { data: me } = useSuspenseQuery(meQuery);
  // Walking times from the reader's compound (or community), as the 15-minute circle measures them.
  const origin = me?.account.compoundId
    ? { compoundId: me.account.compoundId }
    : me?.account.communityId
      ? { communityId: me.account.communityId }
      : null;
  const nearby = useQuery({
    ...nearbyQuery({
      origin: origin ?? { communityId: "" },
      kinds: CLINIC_KINDS,
      openNow: false,
      pace: elderMode ? "elder" : "normal",
    }),
    enabled: origin !== null,
  });
  const minutes = new Map((nearby.data?.items ?? []).map((i) => [i.facility.id, i.walk.minutes]));
  const walk = (facilityId: string | null) => (facilityId ? minutes.get(facilityId) : undefined);
  const ordered = [...clinics].sort(
    (a, b) => (walk(a.facilityId) ?? Number.POSITIVE_INFINITY) - (walk(b.facilityId) ?? Number.POSITIVE_INFINITY),
  );
  return (
    <div className="page">
      <PageHeading title={t("clinics.title")} lead={t("clinics.lead")} />
      {minutes.size > 0 ? <p className="muted">{t("clinics.nearHint")}</p> : null}
      <ul className="list">
        {ordered.map((clinic) => {
          const minutesAway = walk(clinic.facilityId);
          const free = clinic.departments.reduce((n, d) => n + d.openToday, 0);
          return (
            <li key={clinic.id} className="list__item">
              <Link to="/clinics/$clinicId" params={{ clinicId: clinic.id }} className="list__link">
                <span className="list__text">
                  <span className="list__title">{clinic.name}</span>
                  <span>
                    {[
                      clinic.address,
                      minutesAway !== undefined ? t("clinics.walk", { minutes: Math.round(minutesAway) }) : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                  <span className="muted small">{clinic.services.map((s) => t(`clinicService.${s}`)).join("、")}</span>
                  <OpenBadge openNow={clinic.openNow} />
                  {clinic.departments.length > 0 ? (
                    <span className={`badge ${free > 0 ? "badge--open" : "badge--muted"}`}>
                      {free > 0 ? t("clinics.openToday", { count: free }) : t("clinics.noneToday")}
                    </span>
                  ) : null}
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
