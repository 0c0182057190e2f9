import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import type { Me } from "../../worker/features/me/me.schema";
import { SelectField, Switch } from "../components/fields";
import { Icon } from "../components/icon";
import { OpenBadge } from "../components/open-badge";
import { PageHeading } from "../components/page";
import { WalkMap } from "../components/walk-map";
import { FACILITY_KINDS, kindName, parseKinds, TIERS, wholeMinutes } from "../lib/facilities";
import { useT } from "../lib/i18n";
import { NearbySearch } from "../lib/nearby-search";
import { readStoredPreferences, usePreferences } from "../lib/preferences";
import {
  communitiesQuery,
  compoundsQuery,
  configQuery,
  type NearbyFilters,
  nearbyQuery,
  type Pace,
} from "../lib/queries";

/** The place chosen in the address, else the reader's own compound and community from the profile. */
function chosenPlace(search: NearbySearch, me: Me | null) {
  const own = me?.account;
  if (search.compoundId || search.communityId) {
    return {
      communityId: search.communityId ?? (own && search.compoundId === own.compoundId ? own.communityId : null) ?? null,
      compoundId: search.compoundId ?? null,
    };
  }
  return { communityId: own?.communityId ?? null, compoundId: own?.compoundId ?? null };
}

function filtersFor(search: NearbySearch, me: Me | null, elderMode: boolean): NearbyFilters | null {
  const place = chosenPlace(search, me);
  const origin = place.compoundId
    ? { compoundId: place.compoundId }
    : place.communityId
      ? { communityId: place.communityId }
      : null;
  if (!origin) return null;
  const pace: Pace = search.pace ?? (elderMode ? "elder" : "normal");
  return { origin, kinds: parseKinds(search.kinds), openNow: search.openNow ?? false, pace };
}

export const Route = createFileRoute("/nearby")({
  validateSearch: NearbySearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient, me }, deps }) => {
    const place = chosenPlace(deps, me);
    const filters = filtersFor(deps, me, readStoredPreferences().elderMode);
    return Promise.all([
      queryClient.ensureQueryData(communitiesQuery),
      queryClient.ensureQueryData(configQuery),
      place.communityId ? queryClient.ensureQueryData(compoundsQuery(place.communityId)) : null,
      filters ? queryClient.ensureQueryData(nearbyQuery(filters)) : null,
    ]);
  },
  component: NearbyPage,
});

function NearbyPage() {
  const t = useT();
  const { elderMode } = usePreferences();
  const search = Route.useSearch();
  const { me } = Route.useRouteContext();
  const filters = filtersFor(search, me, elderMode);
  return (
    <div className="page">
      <PageHeading title={t("nearby.title")} lead={t("nearby.lead")} />
      <PlacePicker search={search} me={me} />
      {filters ? (
        <Results filters={filters} me={me} />
      ) : (
        <div className="card">
          <p>{t("nearby.choosePlace")}</p>
          {me ? null : (
            <p>
              <Link to="/login" search={{ redirect: "/nearby" }}>
                {t("nearby.signInToRemember")}
              </Link>
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** The chosen compound's name, else "<community> office", else null. */
function usePlaceName(place: { communityId: string | null; compoundId: string | null }): string | null {
  const t = useT();
  const { locale } = usePreferences();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  // The loader has fetched this list whenever a community is known.
  const compounds = useQuery({ ...compoundsQuery(place.communityId ?? ""), enabled: place.communityId !== null });
  if (place.compoundId) return compounds.data?.find((c) => c.id === place.compoundId)?.name ?? t("nearby.here");
  const community = communities.find((c) => c.id === place.communityId);
  if (!community) return null;
  return t("nearby.communityOffice", { community: locale === "en" ? community.nameEn : community.name });
}

/** Where walking starts: folded to one line once a place is known, open while none is. */
function PlacePicker({ search, me }: { search: NearbySearch; me: Me | null }) {
  const t = useT();
  const { locale } = usePreferences();
  const navigate = useNavigate({ from: Route.fullPath });
  const place = chosenPlace(search, me);
  const [open, setOpen] = useState(!place.communityId && !place.compoundId);
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const placeName = usePlaceName(place) ?? t("nearby.notChosen");

  return (
    <details className="card place-picker" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="place-picker__summary">
        <span className="place-picker__text">
          <span className="place-picker__label">{t("nearby.placeLabel")}</span>
          <span className="place-picker__name">{placeName}</span>
        </span>
        <span className="place-picker__change">
          {t("nearby.change")}
          <Icon name="chevron" className="place-picker__chevron" />
        </span>
      </summary>
      <search className="form place-picker__form">
        <SelectField
          label={t("nearby.community")}
          value={place.communityId ?? ""}
          placeholder={t("nearby.chooseCommunity")}
          options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
          onChange={(e) =>
            navigate({
              search: (s) => ({ ...s, communityId: e.target.value || undefined, compoundId: undefined }),
              replace: true,
            })
          }
        />
        {place.communityId ? <CompoundSelect communityId={place.communityId} compoundId={place.compoundId} /> : null}
      </search>
    </details>
  );
}

function CompoundSelect({ communityId, compoundId }: { communityId: string; compoundId: string | null }) {
  const t = useT();
  const navigate = useNavigate({ from: Route.fullPath });
  const { data: compounds } = useSuspenseQuery(compoundsQuery(communityId));
  return (
    <SelectField
      label={t("nearby.compound")}
      hint={t("nearby.compoundHint")}
      value={compoundId ?? ""}
      placeholder={t("nearby.wholeCommunity")}
      options={compounds.map((c) => ({ value: c.id, label: c.name }))}
      onChange={(e) =>
        navigate({
          search: (s) => ({ ...s, communityId, compoundId: e.target.value || undefined }),
          replace: true,
        })
      }
    />
  );
}

const TIER_HEADINGS = {
  5: "nearby.tier5",
  10: "nearby.tier10",
  15: "nearby.tier15",
} as const;

function Results({ filters, me }: { filters: NearbyFilters; me: Me | null }) {
  const t = useT();
  const { locale } = usePreferences();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const { data } = useSuspenseQuery(nearbyQuery(filters));
  const { data: config } = useSuspenseQuery(configQuery);
  const origin = data.origin;
  const originName = usePlaceName(chosenPlace(search, me)) ?? origin.name ?? t("nearby.here");
  const usesNetwork = data.items.some((i) => i.walk.via === "network");
  const usesEstimate = data.items.some((i) => i.walk.via === "estimate");
  const selectedKind = filters.kinds.length === 1 ? filters.kinds[0] : filters.kinds.length ? "several" : "";
  const groups = TIERS.map((tier) => ({
    tier,
    items: data.items.filter((i) => i.walk.tier === tier),
  }));

  const setSearch = (changes: Partial<NearbySearch>) =>
    navigate({ search: (s) => ({ ...s, ...changes }), replace: true, resetScroll: false });

  return (
    <>
      <div className="card form">
        <SelectField
          label={t("nearby.kind")}
          value={selectedKind}
          placeholder={t("nearby.allKinds")}
          options={[
            ...(selectedKind === "several"
              ? [{ value: "several", label: filters.kinds.map((k) => kindName(k, locale)).join(t("list.separator")) }]
              : []),
            ...FACILITY_KINDS.map((k) => ({ value: k.code, label: locale === "en" ? k.en : k.zh })),
          ]}
          onChange={(e) => {
            if (e.target.value !== "several") setSearch({ kinds: e.target.value || undefined });
          }}
        />
        <Switch
          label={t("nearby.openNowOnly")}
          checked={filters.openNow}
          onChange={(on) => setSearch({ openNow: on || undefined })}
        />
        <Switch
          label={t("nearby.elderPace")}
          hint={t("nearby.elderPaceHint", {
            elder: config.walking.elderSpeedKmh,
            normal: config.walking.speedKmh,
          })}
          checked={filters.pace === "elder"}
          onChange={(on) => setSearch({ pace: on ? "elder" : "normal" })}
        />
      </div>

      <section className="section" aria-labelledby="map-title">
        <h2 id="map-title">{t("nearby.from", { place: originName })}</h2>
        <WalkMap
          origin={{ lat: origin.lat, lng: origin.lng, name: originName }}
          points={data.items.map((i) => ({ ...i.facility, minutes: i.walk.minutes }))}
          speedKmh={data.speedKmh}
          detourFactor={config.walking.detourFactor}
          tileUrl={config.mapTileUrl}
          linkState={{ nearbySearch: search }}
        />
      </section>

      <p className="muted small">
        {t("nearby.speedNote", { speed: data.speedKmh })}
        {usesNetwork ? ` ${t("nearby.viaNetworkNote")}` : ""}
        {usesEstimate ? ` ${t("nearby.viaEstimateNote", { factor: config.walking.detourFactor })}` : ""}
      </p>

      <p role="status" className="results-count">
        {t("nearby.count", { count: data.total })}
      </p>

      {data.items.length === 0 ? (
        <p className="card">{filters.openNow ? t("nearby.emptyOpen") : t("nearby.empty")}</p>
      ) : (
        groups
          .filter((g) => g.items.length > 0)
          .map((group) => (
            <section key={group.tier} className="section" aria-labelledby={`tier-${group.tier}`}>
              <h2 id={`tier-${group.tier}`}>
                {t(TIER_HEADINGS[group.tier])}
                <span className="muted heading-count"> {t("nearby.groupCount", { count: group.items.length })}</span>
              </h2>
              <ul className="list">
                {group.items.map(({ facility, walk }) => (
                  <li key={facility.id} className="list__item">
                    <Link
                      to="/facilities/$facilityId"
                      params={{ facilityId: facility.id }}
                      state={{ nearbySearch: search }}
                      className="facility-link"
                    >
                      <span className="facility-link__text">
                        <span className="list__title">{facility.name}</span>
                        <span className="muted small">{kindName(facility.kind, locale)}</span>
                        <span className="row row--tight">
                          <OpenBadge openNow={facility.openNow} />
                          <span className="small muted">
                            {walk.via === "network"
                              ? t("walk.viaNetwork", { metres: walk.metres })
                              : t("walk.viaEstimate", { metres: walk.metres })}
                          </span>
                        </span>
                      </span>
                      <span className="walk-time">
                        <span className="walk-time__value">{wholeMinutes(walk.minutes)}</span>
                        <span className="walk-time__unit">{t("walk.minutesUnit")}</span>
                      </span>
                      <Icon name="chevron" className="chevron" />
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ))
      )}
    </>
  );
}
