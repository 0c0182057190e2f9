import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { auditInsert } from "../../lib/audit";
import { requireStreetAdmin } from "../../lib/authz";
import { runBatch } from "../../lib/batch";
import { ApiError } from "../../lib/errors";
import { walkingModel } from "../../lib/geo";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { now } from "../../lib/time";
import {
  allCompoundPoints,
  clearNetworkStatements,
  currentNetwork,
  facilityLocations,
  networkCounts,
  replaceNetworkStatements,
} from "./facilities.queries";
import { NetworkImport, NetworkStatus, STREET_BOUNDS } from "./facilities.schema";
import { buildWalkGraph, networkDistances } from "./walk-network";
import { reachMetres } from "./walking";

/**
 * Network distances are kept for pairs within this many minutes at the normal pace: the 20 the
 * service circle needs, and up to the 30 that nearby searches allow.
 */
export const NETWORK_MINUTES = 30;

export function networkLimitMetres(env: AppEnv["Bindings"]): number {
  return reachMetres(NETWORK_MINUTES, walkingModel(env), "normal");
}

const statusRoute = createRoute({
  method: "get",
  path: "/walk-network",
  tags: ["service circle"],
  summary: "The imported walking network, if any",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(NetworkStatus, "Status") },
});

const importRoute = createRoute({
  method: "put",
  path: "/walk-network",
  tags: ["service circle"],
  summary:
    "Street admins: replace the walking network with a GeoJSON FeatureCollection of footpaths (LineStrings). " +
    "Network walking times from every compound to every facility within 20 minutes are computed and stored in one step.",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(NetworkImport) },
  responses: { 200: jsonResponse(NetworkStatus, "Imported"), ...errors(400, 401, 403) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/walk-network",
  tags: ["service circle"],
  summary: "Street admins: remove the walking network (walking times fall back to estimates)",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(NetworkStatus, "Removed"), ...errors(401, 403) },
});

async function status(c: Context<AppEnv>) {
  const network = await currentNetwork(c.var.db);
  if (!network) return { network: null };
  return {
    network: {
      name: network.name,
      nodeCount: network.nodeCount,
      edgeCount: network.edgeCount,
      importedAt: network.importedAt,
      ...(await networkCounts(c.var.db)),
    },
  };
}

export const walkNetworkRoutes = createRouter()
  .openapi(statusRoute, async (c) => c.json(await status(c), 200))
  .openapi(importRoute, async (c) => {
    const account = await requireStreetAdmin(c);
    const { name, geojson } = c.req.valid("json");
    const built = buildWalkGraph(geojson, STREET_BOUNDS);
    if (!built.ok) {
      throw new ApiError(
        "IMPORT_INVALID",
        `The network has ${built.issues.length} problem(s); nothing was changed`,
        {},
        built.issues.slice(0, 200),
      );
    }
    const db = c.var.db;
    const [compoundPoints, facilityPoints] = await Promise.all([allCompoundPoints(db), facilityLocations(db)]);
    const { members, distances } = networkDistances(
      built.graph,
      compoundPoints,
      facilityPoints,
      networkLimitMetres(c.env),
    );
    await runBatch(db, [
      ...replaceNetworkStatements(db, { name, graph: built.graph, members, distances, actorId: account.id, at: now() }),
      auditInsert(c, {
        action: "walk_network.import",
        subjectType: "walk_network",
        subjectId: "current",
        detail: { name, nodes: built.graph.nodes.length, edges: built.graph.edges.length },
      }),
    ]);
    return c.json(await status(c), 200);
  })
  .openapi(deleteRoute, async (c) => {
    await requireStreetAdmin(c);
    await runBatch(c.var.db, [
      ...clearNetworkStatements(c.var.db),
      auditInsert(c, { action: "walk_network.delete", subjectType: "walk_network", subjectId: "current" }),
    ]);
    return c.json(await status(c), 200);
  });
