import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import type { Me } from "../../../worker/features/me/me.schema";
import { SelectField, Switch } from "../../components/fields";
import { PageHeading } from "../../components/page";
import { kindName, REQUIRED_KINDS, wholeMinutes } from "../../lib/facilities";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { communitiesQuery, streetCoverageQuery } from "../../lib/queries";
import { ForbiddenError } from "../../lib/roles";

const ALL = "all";

const CoverageSearch = z.object({
  pace: z.enum(["normal", "elder"]).optional().catch(undefined),
  /** A community id or "all"; absent: community staff see their own community, street admins all. */
  community: z.string().min(1).max(64).optional().catch(undefined),
});

/** The community a community-staff member works for; street admins start with the whole street. */
function defaultCommunity(me: Me): string {
  if (me.roles.some((r) => r.role === "street_admin")) return ALL;
  return me.roles.find((r) => r.role === "community_staff" && r.communityId)?.communityId ?? ALL;
}

/** Required kinds, shorter tiers first: the grid's columns. */
const COLUMNS = [...REQUIRED_KINDS].sort((a, b) => a.tier - b.tier);

export const Route = createFileRoute("/staff/coverage")({
  validateSearch: CoverageSearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.coverage) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loaderDeps: ({ search }) => ({ pace: search.pace ?? "normal" }),
  loader: ({ context: { queryClient }, deps }) =>
    Promise.all([
      queryClient.ensureQueryData(streetCoverageQuery(deps.pace)),
      queryClient.ensureQueryData(communitiesQuery),
    ]),
  component: CoveragePage,
});

function CoveragePage() {
  const t = useT();
  const { locale } = usePreferences();
  const search = Route.useSearch();
  const { me } = Route.useRouteContext();
  const navigate = useNavigate({ from: Route.fullPath });
  const pace = search.pace ?? "normal";
  const community = search.community ?? defaultCommunity(me);
  const { data } = useSuspenseQuery(streetCoverageQuery(pace));
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const communityName = (id: string) => {
    const c = communities.find((x) => x.id === id);
    return c ? (locale === "en" ? c.nameEn : c.name) : id;
  };
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const rows = community === ALL ? data.grid : data.grid.filter((r) => r.compound.communityId === community);
  const { normal, elder } = data.summary;
  const worst = (pace === "elder" ? elder : normal).worstServed;
  const kindGaps = normal.gapsByKind
    .map((k) => ({
      ...k,
      elder: elder.gapsByKind.find((e) => e.kind === k.kind)?.compoundsWithGap ?? 0,
    }))
    .filter((k) => k.compoundsWithGap > 0 || k.elder > 0)
    .sort((a, b) => b.compoundsWithGap - a.compoundsWithGap || b.elder - a.elder);
  const cells = rows.flatMap((r) => r.cells);
  const alongFootpaths = cells.filter((c) => c.nearest?.via === "network").length;

  return (
    <>
      <PageHeading title={t("coverage.title")} lead={t("coverage.lead")} />

      <div className="card form no-print">
        <SelectField
          label={t("coverage.community")}
          value={community}
          options={[
            { value: ALL, label: t("coverage.allCommunities") },
            ...communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name })),
          ]}
          onChange={(e) => navigate({ search: (s) => ({ ...s, community: e.target.value }), replace: true })}
        />
        <Switch
          label={t("coverage.elderPace")}
          hint={t("coverage.elderPaceHint")}
          checked={pace === "elder"}
          onChange={(on) =>
            navigate({ search: (s) => ({ ...s, pace: on ? "elder" : undefined }), replace: true, resetScroll: false })
          }
        />
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {t("coverage.print")}
        </button>
      </div>

      <section className="section" aria-labelledby="summary-title">
        <h2 id="summary-title">{t("coverage.summary", { count: normal.compounds })}</h2>
        <table className="table">
          <caption className="table__caption">{t("coverage.shareCaption")}</caption>
          <PaceHead first={t("coverage.circle")} />
          <tbody>
            {(["5", "10", "15"] as const).map((tier) => (
              <tr key={tier}>
                <th scope="row">{t("coverage.tier", { minutes: tier })}</th>
                <td className="num">{percent.format(normal.fullyCoveredShare[tier])}</td>
                <td className="num">{percent.format(elder.fullyCoveredShare[tier])}</td>
              </tr>
            ))}
          </tbody>
        </table>

        <div className="section">
          <h3>{t("coverage.gapsByKind")}</h3>
          {kindGaps.length === 0 ? (
            <p className="muted">{t("coverage.noGaps")}</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it.
            <section className="table-scroll" aria-label={t("coverage.gapsByKindCaption")} tabIndex={0}>
              <table className="table">
                <caption className="table__caption">{t("coverage.gapsByKindCaption")}</caption>
                <PaceHead first={t("coverage.kind")} />
                <tbody>
                  {kindGaps.map((k) => (
                    <tr key={k.kind}>
                      <th scope="row">
                        {kindName(k.kind, locale)}
                        <span className="table__sub">{t("coverage.within", { minutes: k.tier })}</span>
                      </th>
                      <td className="num">{k.compoundsWithGap}</td>
                      <td className="num">{k.elder}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>

        <div className="section">
          <h3>{pace === "elder" ? t("coverage.worstElder") : t("coverage.worst")}</h3>
          {worst.length === 0 ? (
            <p className="muted">{t("coverage.noGaps")}</p>
          ) : (
            <ol className="list">
              {worst.map((w) => (
                <li key={w.compoundId} className="list__item">
                  <Link
                    to="/nearby"
                    search={{ compoundId: w.compoundId, communityId: w.communityId, pace }}
                    className="list__link"
                  >
                    <span className="list__text">
                      <span className="list__title">{w.name}</span>
                      <span className="muted small">{communityName(w.communityId)}</span>
                    </span>
                    <span className="badge badge--gap">{t("coverage.gapCount", { count: w.gaps })}</span>
                  </Link>
                </li>
              ))}
            </ol>
          )}
        </div>
      </section>

      <section className="section coverage-grid" aria-labelledby="grid-title">
        <h2 id="grid-title">
          {community === ALL
            ? t("coverage.gridAll")
            : t("coverage.gridCommunity", { community: communityName(community) })}
        </h2>
        <p className="muted small">
          {t(pace === "elder" ? "coverage.gridNoteElder" : "coverage.gridNote", { gap: t("coverage.gapMark") })}{" "}
          {t("coverage.viaNote", { network: alongFootpaths, total: cells.filter((c) => c.nearest).length })}
        </p>
        {rows.length === 0 ? (
          <p className="muted">{t("coverage.noCompounds")}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it.
          <section className="table-scroll" aria-label={t("coverage.gridScroll")} tabIndex={0}>
            <table className="table grid">
              <thead>
                <tr>
                  <th scope="col" className="grid__corner">
                    {t("coverage.compound")}
                  </th>
                  <th scope="col">{t("coverage.gaps")}</th>
                  {COLUMNS.map((k) => (
                    <th key={k.code} scope="col" className="grid__kind">
                      {locale === "en" ? k.en : k.zh}
                      <span className="grid__tier">{t("coverage.within", { minutes: k.tier })}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.compound.id}>
                    <th scope="row" className="grid__compound">
                      {row.compound.name}
                      {community === ALL ? (
                        <span className="grid__community">{communityName(row.compound.communityId)}</span>
                      ) : null}
                    </th>
                    <td className={row.gaps > 0 ? "grid__gaps--some" : undefined}>{row.gaps}</td>
                    {COLUMNS.map((k) => {
                      const cell = row.cells.find((c) => c.kind === k.code);
                      if (!cell) return <td key={k.code} />;
                      const minutes = cell.nearest
                        ? t("coverage.minutes", { minutes: wholeMinutes(cell.nearest.minutes) })
                        : null;
                      return cell.covered ? (
                        <td key={k.code}>{minutes}</td>
                      ) : (
                        <td key={k.code} className="grid__cell--gap">
                          <strong>{t("coverage.gapMark")}</strong>
                          <span className="grid__nearest">{minutes ?? t("coverage.none")}</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
    </>
  );
}

/** A coverage table's head: what the rows are, then the normal and the elder walking pace. */
function PaceHead({ first }: { first: string }) {
  const t = useT();
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" className="num">
          {t("coverage.normalPace")}
        </th>
        <th scope="col" className="num">
          {t("coverage.elderPaceShort")}
        </th>
      </tr>
    </thead>
  );
}
