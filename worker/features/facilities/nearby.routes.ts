import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { requireStaff } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { boundingBox, speedOf, walkingModel } from "../../lib/geo";
import { cookieAuth, createRouter, errors, jsonResponse } from "../../lib/openapi";
import { now } from "../../lib/time";
import { findCommunity, findCompound } from "../places/places.queries";
import { compoundCoverage, groupByKind, kindCounts, streetSummary } from "./coverage";
import {
  allCompoundPoints,
  facilitiesInBox,
  facilityPoints,
  networkViewFor,
  networkViews,
  toFacility,
} from "./facilities.queries";
import {
  CommunityCoverage,
  CompoundCoverage,
  CoverageQuery,
  IdParam,
  NearbyQuery,
  NearbyResult,
  StreetCoverage,
} from "./facilities.schema";
import { REQUIRED_KINDS } from "./kinds";
import { isOpenAt } from "./opening-hours";
import { NO_NETWORK, reachMetres, walkTo } from "./walking";

const DEFAULT_MAX_MINUTES = 15;

const nearbyRoute = createRoute({
  method: "get",
  path: "/nearby",
  tags: ["service circle"],
  summary:
    "Facilities within walking reach of a compound, a community or a point, sorted by walking minutes. " +
    "Walking time uses the imported network when both ends are on it, else straight line × detour factor.",
  request: { query: NearbyQuery },
  responses: { 200: jsonResponse(NearbyResult, "Nearby facilities"), ...errors(400, 404) },
});

const compoundCoverageRoute = createRoute({
  method: "get",
  path: "/coverage/compounds/{id}",
  tags: ["service circle"],
  summary: "For one compound, each required kind with its nearest facility and minutes, or a gap",
  request: { query: CoverageQuery, params: IdParam },
  responses: { 200: jsonResponse(CompoundCoverage, "Coverage"), ...errors(400, 404) },
});

const communityCoverageRoute = createRoute({
  method: "get",
  path: "/coverage/communities/{id}",
  tags: ["service circle"],
  summary: "Staff: coverage of every compound of one community, and counts per required kind",
  security: cookieAuth,
  request: { query: CoverageQuery, params: IdParam },
  responses: { 200: jsonResponse(CommunityCoverage, "Coverage"), ...errors(400, 401, 403, 404) },
});

const streetCoverageRoute = createRoute({
  method: "get",
  path: "/coverage/street",
  tags: ["service circle"],
  summary:
    "Staff: the street summary at normal and elder pace (share of compounds fully covered per tier, gaps per kind, " +
    "worst served) and the compounds × required kinds grid at the requested pace",
  security: cookieAuth,
  request: { query: CoverageQuery },
  responses: { 200: jsonResponse(StreetCoverage, "Coverage"), ...errors(400, 401, 403) },
});

async function resolveOrigin(
  c: Context<AppEnv>,
  q: { compoundId?: string; communityId?: string; lat?: number; lng?: number },
) {
  if (q.compoundId) {
    const compound = await findCompound(c.var.db, q.compoundId);
    if (!compound) throw new ApiError("NOT_FOUND", "Compound not found");
    return {
      origin: { type: "compound" as const, id: compound.id, name: compound.name, lat: compound.lat, lng: compound.lng },
      network: await networkViewFor(c.var.db, compound.id),
    };
  }
  if (q.communityId) {
    const community = await findCommunity(c.var.db, q.communityId);
    if (!community) throw new ApiError("NOT_FOUND", "Community not found");
    return {
      origin: {
        type: "community" as const,
        id: community.id,
        name: community.name,
        lat: community.lat,
        lng: community.lng,
      },
      network: NO_NETWORK,
    };
  }
  return {
    origin: { type: "point" as const, id: null, name: null, lat: q.lat ?? 0, lng: q.lng ?? 0 },
    network: NO_NETWORK,
  };
}

/** Facilities of the required kinds and the compounds, with the network, for coverage. */
async function coverageInputs(c: Context<AppEnv>) {
  const [points, compounds, views] = await Promise.all([
    facilityPoints(
      c.var.db,
      REQUIRED_KINDS.map((k) => k.code),
    ),
    allCompoundPoints(c.var.db),
    networkViews(c.var.db),
  ]);
  return { byKind: groupByKind(points), compounds, views };
}

export const nearbyRoutes = createRouter()
  .openapi(nearbyRoute, async (c) => {
    const q = c.req.valid("query");
    const model = walkingModel(c.env);
    const maxMinutes = Math.min(q.maxMinutes ?? q.tier ?? DEFAULT_MAX_MINUTES, q.tier ?? Number.POSITIVE_INFINITY);
    const { origin, network } = await resolveOrigin(c, q);
    // Estimates walk the straight line × detour factor; network paths are never shorter than the straight line.
    const reach = reachMetres(maxMinutes, model, q.pace);
    const radius = network.originOnNetwork ? reach : reach / model.detourFactor;
    const rows = await facilitiesInBox(c.var.db, boundingBox(origin, radius * 1.001), q.kinds);
    const at = now();
    const items = rows
      .filter((r) => !q.openNow || isOpenAt(r.facility.openingHours, at))
      .map((r) => ({ row: r, walk: walkTo(origin, r.facility, network, model, q.pace) }))
      .filter(({ walk }) => walk.minutes <= maxMinutes)
      .sort((a, b) => a.walk.minutes - b.walk.minutes || a.row.facility.name.localeCompare(b.row.facility.name));
    const page = items.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
    return c.json(
      {
        origin,
        pace: q.pace,
        speedKmh: speedOf(model, q.pace),
        maxMinutes,
        items: page.map(({ row, walk }) => ({ facility: toFacility(row.facility, row.organisationName, at), walk })),
        total: items.length,
        page: q.page,
        pageSize: q.pageSize,
      },
      200,
    );
  })
  .openapi(compoundCoverageRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { pace } = c.req.valid("query");
    const compound = await findCompound(c.var.db, id);
    if (!compound) throw new ApiError("NOT_FOUND", "Compound not found");
    const points = await facilityPoints(
      c.var.db,
      REQUIRED_KINDS.map((k) => k.code),
    );
    const network = await networkViewFor(c.var.db, id);
    return c.json(compoundCoverage(compound, groupByKind(points), network, walkingModel(c.env), pace), 200);
  })
  .openapi(communityCoverageRoute, async (c) => {
    await requireStaff(c);
    const { id } = c.req.valid("param");
    const { pace } = c.req.valid("query");
    const community = await findCommunity(c.var.db, id);
    if (!community) throw new ApiError("NOT_FOUND", "Community not found");
    const { byKind, compounds, views } = await coverageInputs(c);
    const model = walkingModel(c.env);
    const coverages = compounds
      .filter((cp) => cp.communityId === id)
      .map((cp) => compoundCoverage(cp, byKind, views.get(cp.id) ?? NO_NETWORK, model, pace));
    return c.json(
      {
        community: { id: community.id, name: community.name },
        pace,
        compounds: coverages,
        kinds: kindCounts(coverages),
      },
      200,
    );
  })
  .openapi(streetCoverageRoute, async (c) => {
    await requireStaff(c);
    const { pace } = c.req.valid("query");
    const { byKind, compounds, views } = await coverageInputs(c);
    const model = walkingModel(c.env);
    const at = (p: "normal" | "elder") =>
      compounds.map((cp) => compoundCoverage(cp, byKind, views.get(cp.id) ?? NO_NETWORK, model, p));
    const normal = at("normal");
    const elder = at("elder");
    return c.json(
      {
        summary: { normal: streetSummary(normal), elder: streetSummary(elder) },
        pace,
        grid: pace === "elder" ? elder : normal,
      },
      200,
    );
  });
