import { readFileSync } from "node:fs";
import { STREET_BOUNDS } from "../../worker/features/facilities/facilities.schema";
import { buildWalkGraph, networkDistances } from "../../worker/features/facilities/walk-network";
import { reachMetres } from "../../worker/features/facilities/walking";
import { DEFAULT_WALKING } from "../../worker/lib/geo";
import type { walkDistances, walkMembers, walkNetworks } from "../schema";
import { type CompoundRow, DEMO_IDS } from "./demo";
import type { FacilityRow } from "./facilities";

export type WalkNetworkRow = typeof walkNetworks.$inferInsert;
export type WalkMemberRow = typeof walkMembers.$inferInsert;
export type WalkDistanceRow = typeof walkDistances.$inferInsert;

export interface WalkNetworkSeed {
  network: WalkNetworkRow;
  members: WalkMemberRow[];
  distances: WalkDistanceRow[];
}

/**
 * Distances are kept up to the minutes the worker keeps on import (NETWORK_MINUTES in
 * worker/features/facilities/walk-network.routes.ts), so a seeded network reads like an imported one.
 */
const NETWORK_MINUTES = 30;

const IMPORTED_AT = Date.parse("2026-03-02T02:00:00Z");

/**
 * The demo walking network, as a street admin would import it: the footpaths of walk-network.geojson
 * around 德翔里 and 新城 (a 45° street grid, 金钟河 on its north-east edge with one footbridge at
 * 桥北路), with network walking distances from the compounds to the facilities that join it.
 * Everything is computed with the worker's own builder, so the rows match a real import.
 */
export function demoWalkNetwork(compounds: CompoundRow[], facilities: FacilityRow[]): WalkNetworkSeed {
  const geojson: unknown = JSON.parse(readFileSync(new URL("./walk-network.geojson", import.meta.url), "utf8"));
  const built = buildWalkGraph(geojson, STREET_BOUNDS);
  if (!built.ok) throw new Error(`walk-network.geojson: ${JSON.stringify(built.issues.slice(0, 5))}`);
  const limit = reachMetres(NETWORK_MINUTES, DEFAULT_WALKING, "normal");
  const places = (rows: Array<{ id: string; lat: number; lng: number }>) =>
    rows.map(({ id, lat, lng }) => ({ id, lat, lng }));
  const { members, distances } = networkDistances(built.graph, places(compounds), places(facilities), limit);
  return {
    network: {
      id: "current",
      name: "德翔里—新城步行网络（演示）",
      graph: built.graph,
      nodeCount: built.graph.nodes.length,
      edgeCount: built.graph.edges.length,
      importedAt: IMPORTED_AT,
      importedByAccountId: DEMO_IDS.streetAdminAccount,
    },
    members: members.map((m) => ({ memberType: m.type, memberId: m.id, node: m.node, snapMetres: m.snapMetres })),
    distances,
  };
}
