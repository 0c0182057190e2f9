import { haversineMetres, type Point } from "../../lib/geo";

/**
 * A walking network built from GeoJSON footpaths: vertices shared by lines (to ~0.1 m) become
 * junctions; each segment is an undirected edge weighted by its length in metres.
 */
export interface WalkGraph {
  /** [lat, lng] per node. */
  nodes: Array<[number, number]>;
  /** [from, to, metres]. */
  edges: Array<[number, number, number]>;
}

export interface NetworkIssue {
  row: number;
  field: string;
  reason: string;
}

type Position = [number, number];

function isPosition(value: unknown): value is Position {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    typeof value[0] === "number" &&
    typeof value[1] === "number" &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1])
  );
}

function lineStrings(geometry: unknown): Position[][] | null {
  if (typeof geometry !== "object" || geometry === null) return null;
  const g = geometry as { type?: unknown; coordinates?: unknown };
  if (g.type === "LineString" && Array.isArray(g.coordinates)) return [g.coordinates as Position[]];
  if (g.type === "MultiLineString" && Array.isArray(g.coordinates)) return g.coordinates as Position[][];
  return null;
}

/**
 * Builds the graph from a GeoJSON FeatureCollection of LineStrings (or MultiLineStrings), or lists
 * every problem by feature number (1-based) — a bad file builds nothing.
 */
export function buildWalkGraph(
  geojson: unknown,
  bounds: { minLat: number; maxLat: number; minLng: number; maxLng: number },
): { ok: true; graph: WalkGraph } | { ok: false; issues: NetworkIssue[] } {
  const issues: NetworkIssue[] = [];
  const fc = geojson as { type?: unknown; features?: unknown };
  if (
    typeof geojson !== "object" ||
    geojson === null ||
    fc.type !== "FeatureCollection" ||
    !Array.isArray(fc.features)
  ) {
    return { ok: false, issues: [{ row: 0, field: "type", reason: "Expected a GeoJSON FeatureCollection" }] };
  }
  if (fc.features.length === 0) return { ok: false, issues: [{ row: 0, field: "features", reason: "No footpaths" }] };

  const index = new Map<string, number>();
  const nodes: Array<[number, number]> = [];
  const edges: Array<[number, number, number]> = [];
  const nodeAt = ([lng, lat]: Position) => {
    const key = `${lat.toFixed(6)},${lng.toFixed(6)}`;
    let id = index.get(key);
    if (id === undefined) {
      id = nodes.length;
      index.set(key, id);
      nodes.push([lat, lng]);
    }
    return id;
  };

  fc.features.forEach((feature: unknown, i: number) => {
    const row = i + 1;
    const lines = lineStrings((feature as { geometry?: unknown } | null)?.geometry);
    if (!lines) {
      issues.push({ row, field: "geometry", reason: "Only LineString and MultiLineString footpaths are accepted" });
      return;
    }
    for (const line of lines) {
      if (!Array.isArray(line) || line.length < 2 || !line.every(isPosition)) {
        issues.push({ row, field: "geometry.coordinates", reason: "A line needs two or more [lng, lat] positions" });
        return;
      }
      const outside = line.find(
        ([lng, lat]) => lat < bounds.minLat || lat > bounds.maxLat || lng < bounds.minLng || lng > bounds.maxLng,
      );
      if (outside) {
        issues.push({
          row,
          field: "geometry.coordinates",
          reason: `Position [${outside[0]}, ${outside[1]}] lies outside the street's area ([lng, lat] order?)`,
        });
        return;
      }
    }
    if (issues.length > 0) return;
    for (const line of lines) {
      for (let k = 1; k < line.length; k++) {
        const a = line[k - 1] as Position;
        const b = line[k] as Position;
        const from = nodeAt(a);
        const to = nodeAt(b);
        if (from !== to) edges.push([from, to, haversineMetres({ lat: a[1], lng: a[0] }, { lat: b[1], lng: b[0] })]);
      }
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, graph: { nodes, edges } };
}

/** The nearest node within `maxMetres` of a point, and how far it is. */
export function snap(graph: WalkGraph, point: Point, maxMetres = 250): { node: number; metres: number } | null {
  let best: { node: number; metres: number } | null = null;
  graph.nodes.forEach(([lat, lng], node) => {
    const metres = haversineMetres(point, { lat, lng });
    if (metres <= maxMetres && (!best || metres < best.metres)) best = { node, metres };
  });
  return best;
}

function adjacency(graph: WalkGraph): Array<Array<[number, number]>> {
  const adj: Array<Array<[number, number]>> = graph.nodes.map(() => []);
  for (const [a, b, w] of graph.edges) {
    adj[a]?.push([b, w]);
    adj[b]?.push([a, w]);
  }
  return adj;
}

/** A binary min-heap of [priority, value] pairs. */
class MinHeap {
  private items: Array<[number, number]> = [];

  get size() {
    return this.items.length;
  }

  private key(i: number): number {
    return (this.items[i] as [number, number])[0];
  }

  private swap(i: number, j: number) {
    const t = this.items[i] as [number, number];
    this.items[i] = this.items[j] as [number, number];
    this.items[j] = t;
  }

  push(item: [number, number]) {
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0 && this.key((i - 1) >> 1) > this.key(i)) {
      this.swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  }

  pop(): [number, number] | undefined {
    if (this.items.length === 0) return undefined;
    this.swap(0, this.items.length - 1);
    const top = this.items.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && this.key(l) < this.key(m)) m = l;
      if (r < this.items.length && this.key(r) < this.key(m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

/** Shortest path lengths from `source` to every node within `limit` metres (Dijkstra). */
export function shortestPaths(adj: Array<Array<[number, number]>>, source: number, limit: number): Map<number, number> {
  const dist = new Map<number, number>([[source, 0]]);
  const heap = new MinHeap();
  heap.push([0, source]);
  for (let item = heap.pop(); item; item = heap.pop()) {
    const [d, node] = item;
    if (d > (dist.get(node) ?? Number.POSITIVE_INFINITY)) continue;
    for (const [next, w] of adj[node] ?? []) {
      const nd = d + w;
      if (nd <= limit && nd < (dist.get(next) ?? Number.POSITIVE_INFINITY)) {
        dist.set(next, nd);
        heap.push([nd, next]);
      }
    }
  }
  return dist;
}

export interface Place extends Point {
  id: string;
}

export interface Member {
  type: "compound" | "facility";
  id: string;
  node: number;
  snapMetres: number;
}

/**
 * Network walking distances from every compound to every facility within `limit` metres:
 * the walk to the nearest node, along the network, and from the node to the facility.
 */
export function networkDistances(graph: WalkGraph, compounds: Place[], facilities: Place[], limit: number) {
  const members: Member[] = [];
  for (const [type, places] of [
    ["compound", compounds],
    ["facility", facilities],
  ] as const) {
    for (const place of places) {
      const s = snap(graph, place);
      if (s) members.push({ type, id: place.id, node: s.node, snapMetres: s.metres });
    }
  }
  const byNode = new Map<number, Member[]>();
  for (const m of members) if (m.type === "facility") byNode.set(m.node, [...(byNode.get(m.node) ?? []), m]);
  const adj = adjacency(graph);
  const distances: Array<{ compoundId: string; facilityId: string; metres: number }> = [];
  for (const c of members.filter((m) => m.type === "compound")) {
    for (const [node, d] of shortestPaths(adj, c.node, limit - c.snapMetres)) {
      for (const f of byNode.get(node) ?? []) {
        const metres = c.snapMetres + d + f.snapMetres;
        if (metres <= limit) distances.push({ compoundId: c.id, facilityId: f.id, metres: Math.round(metres) });
      }
    }
  }
  return { members, distances };
}

/** Distances from one facility to the network's compounds (after the facility was added or moved). */
export function distancesFromFacility(graph: WalkGraph, facility: Place, compounds: Member[], limit: number) {
  const s = snap(graph, facility);
  if (!s) return { member: null, distances: [] };
  const reached = shortestPaths(adjacency(graph), s.node, limit - s.metres);
  const distances: Array<{ compoundId: string; facilityId: string; metres: number }> = [];
  for (const c of compounds) {
    const d = reached.get(c.node);
    if (d !== undefined && d + s.metres + c.snapMetres <= limit) {
      distances.push({ compoundId: c.id, facilityId: facility.id, metres: Math.round(d + s.metres + c.snapMetres) });
    }
  }
  const member: Member = { type: "facility", id: facility.id, node: s.node, snapMetres: s.metres };
  return { member, distances };
}
