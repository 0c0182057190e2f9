import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, walkDistances, walkMembers } from "../../db/schema";
import { STREET_BOUNDS } from "../../worker/features/facilities/facilities.schema";
import {
  buildWalkGraph,
  distancesFromFacility,
  networkDistances,
  shortestPaths,
  snap,
  type WalkGraph,
} from "../../worker/features/facilities/walk-network";
import { haversineMetres, type Point } from "../../worker/lib/geo";
import {
  call,
  createAccount,
  createCommunity,
  createCompoundAt,
  createFacility,
  db,
  grantRole,
  json,
  offsetPoint,
  riverFootpaths,
} from "../factories";

type ErrorBody = {
  error: { code: string; message: string; details?: Array<{ row: number; field: string; reason: string }> };
};
type Status = {
  network: null | {
    name: string;
    nodeCount: number;
    edgeCount: number;
    importedAt: number;
    compounds: number;
    facilities: number;
    distances: number;
  };
};
type Nearby = {
  maxMinutes: number;
  items: Array<{
    facility: { id: string };
    walk: { minutes: number; metres: number; via: string; tier: number | null };
  }>;
  total: number;
};

/** A separate patch of the street for each test, about 2 km apart, so their networks and facilities never meet. */
const area = (n: number): Point => ({ lat: 39.07 + 0.02 * n, lng: 117.2 + 0.03 * (n % 3) });

/** [lng, lat] of the point `north`, `east` metres from `base`. */
function at(base: Point, east: number, north: number): [number, number] {
  const p = offsetPoint(base, north, east);
  return [p.lng, p.lat];
}
const pt = (base: Point, east: number, north: number) => offsetPoint(base, north, east);

function line(...coordinates: Array<[number, number]>) {
  return { type: "Feature", properties: {}, geometry: { type: "LineString", coordinates } };
}

/** Metres along a polyline of points, as the network measures them. */
function along(...points: Point[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += haversineMetres(points[i - 1] as Point, points[i] as Point);
  return total;
}

async function streetAdmin() {
  const admin = await createAccount({ name: "街道管理员" });
  await grantRole(admin.id, "street_admin");
  return admin;
}

async function importNetwork(cookie: string, name: string, geojson: unknown) {
  return call("/api/walk-network", { method: "PUT", cookie, body: { name, geojson } });
}

async function nearby(query: string) {
  const res = await call(`/api/nearby?${query}`);
  expect(res.status).toBe(200);
  return json<Nearby>(res);
}

async function distanceRows(compoundId: string) {
  return db().select().from(walkDistances).where(eq(walkDistances.compoundId, compoundId));
}

describe("buildWalkGraph", () => {
  const base = area(0);

  it("joins lines at shared vertices (to ~0.1 m) and weighs each segment by its length", () => {
    const a = at(base, 0, 0);
    const b = at(base, 100, 0);
    const bNearly: [number, number] = [b[0] + 3e-8, b[1] - 3e-8];
    const c = at(base, 100, 100);
    const built = buildWalkGraph(
      {
        type: "FeatureCollection",
        features: [
          line(a, b),
          line(bNearly, c),
          { type: "Feature", geometry: { type: "MultiLineString", coordinates: [[c, a]] }, properties: {} },
        ],
      },
      STREET_BOUNDS,
    );
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    expect(built.graph.nodes).toHaveLength(3);
    expect(built.graph.edges).toHaveLength(3);
    const [, , ab] = built.graph.edges[0] ?? [];
    expect(ab).toBeCloseTo(haversineMetres({ lat: a[1], lng: a[0] }, { lat: b[1], lng: b[0] }), 6);
    expect(ab).toBeCloseTo(100, 0);
  });

  it("drops zero-length segments from repeated vertices", () => {
    const p = at(base, 0, 0);
    const built = buildWalkGraph({ type: "FeatureCollection", features: [line(p, p, at(base, 50, 0))] }, STREET_BOUNDS);
    expect(built.ok && built.graph.edges.length).toBe(1);
  });

  it.each([
    ["a Feature, not a collection", { type: "Feature", geometry: null }, [{ row: 0, field: "type" }]],
    ["a string", "not geojson", [{ row: 0, field: "type" }]],
    ["null", null, [{ row: 0, field: "type" }]],
    ["no features", { type: "FeatureCollection", features: [] }, [{ row: 0, field: "features" }]],
    [
      "a Point among lines",
      {
        type: "FeatureCollection",
        features: [
          line(at(area(0), 0, 0), at(area(0), 10, 0)),
          { type: "Feature", geometry: { type: "Point", coordinates: at(area(0), 0, 0) } },
        ],
      },
      [{ row: 2, field: "geometry" }],
    ],
    [
      "swapped [lat, lng]",
      { type: "FeatureCollection", features: [line([39.2, 117.3], [39.201, 117.3])] },
      [{ row: 1, field: "geometry.coordinates" }],
    ],
    [
      "a line in Beijing",
      { type: "FeatureCollection", features: [line([116.39, 39.9], [116.4, 39.9])] },
      [{ row: 1, field: "geometry.coordinates" }],
    ],
    [
      "a line of one position, and a feature without geometry",
      { type: "FeatureCollection", features: [line(at(area(0), 0, 0)), { type: "Feature" }] },
      [
        { row: 1, field: "geometry.coordinates" },
        { row: 2, field: "geometry" },
      ],
    ],
  ])("refuses %s", (_name, geojson, issues) => {
    const built = buildWalkGraph(geojson, STREET_BOUNDS);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.issues.map(({ row, field }) => ({ row, field }))).toEqual(issues);
  });

  it("says which way round the coordinates should be", () => {
    const built = buildWalkGraph(
      { type: "FeatureCollection", features: [line([39.2, 117.3], [39.201, 117.3])] },
      STREET_BOUNDS,
    );
    expect(!built.ok && built.issues[0]?.reason).toMatch(/outside.*\[lng, lat\]/);
  });
});

describe("snap, shortestPaths, networkDistances, distancesFromFacility", () => {
  const base = area(1);
  const built = buildWalkGraph(riverFootpaths(base), STREET_BOUNDS);
  if (!built.ok) throw new Error("river network does not build");
  const graph: WalkGraph = built.graph;
  const compound = { id: "cpd_south", ...pt(base, 0, 0) };
  const facility = { id: "fac_north", ...pt(base, 0, 120) };
  // Along the south bank to the bridge, over it, and back along the north bank.
  const viaBridge = along(pt(base, 0, 0), pt(base, -400, 0), pt(base, -400, 120), pt(base, 0, 120));

  it("snaps to the nearest node within 250 m, and not beyond", () => {
    const near = snap(graph, pt(base, 30, 40));
    expect(near?.metres).toBeCloseTo(50, 0);
    expect(graph.nodes[near?.node ?? -1]).toEqual([compound.lat, compound.lng].map((v) => expect.closeTo(v, 6)));
    expect(snap(graph, pt(base, 0, -249))).not.toBeNull();
    expect(snap(graph, pt(base, 0, -260))).toBeNull();
    expect(snap(graph, pt(base, 0, -100), 50)).toBeNull();
  });

  it("finds the shortest way round and stops at the limit", () => {
    // A square 0-1-2-3 with a long edge 0-2 that the way round beats.
    const adj: Array<Array<[number, number]>> = [
      [
        [1, 10],
        [2, 50],
      ],
      [
        [0, 10],
        [2, 10],
      ],
      [
        [1, 10],
        [0, 50],
        [3, 5],
      ],
      [[2, 5]],
    ];
    expect(shortestPaths(adj, 0, 1000)).toEqual(
      new Map([
        [0, 0],
        [1, 10],
        [2, 20],
        [3, 25],
      ]),
    );
    expect(shortestPaths(adj, 0, 20)).toEqual(
      new Map([
        [0, 0],
        [1, 10],
        [2, 20],
      ]),
    );
  });

  it("measures compound → facility over the bridge, not across the river", () => {
    const { members, distances } = networkDistances(graph, [compound], [facility], 1500);
    expect(members.map((m) => m.id).sort()).toEqual(["cpd_south", "fac_north"]);
    expect(distances).toEqual([{ compoundId: "cpd_south", facilityId: "fac_north", metres: Math.round(viaBridge) }]);
    expect(viaBridge).toBeGreaterThan(7 * haversineMetres(compound, facility));
  });

  it("leaves out places off the network and pairs beyond the limit", () => {
    const away = { id: "cpd_away", ...pt(base, 0, -600) };
    const farFacility = { id: "fac_far", ...pt(base, -1000, 120) };
    const { members, distances } = networkDistances(graph, [compound, away], [facility, farFacility], 1000);
    expect(members.map((m) => m.id).sort()).toEqual(["cpd_south", "fac_far", "fac_north"]);
    expect(distances.map((d) => d.facilityId)).toEqual(["fac_north"]);
  });

  it("gives a new facility the same distance the full computation does", () => {
    const { members } = networkDistances(graph, [compound], [], 1500);
    const { member, distances } = distancesFromFacility(graph, facility, members, 1500);
    expect(member).toMatchObject({ type: "facility", id: "fac_north", snapMetres: 0 });
    expect(distances).toEqual([{ compoundId: "cpd_south", facilityId: "fac_north", metres: Math.round(viaBridge) }]);
    expect(distancesFromFacility(graph, facility, members, 500).distances).toEqual([]);
    expect(distancesFromFacility(graph, { id: "fac_off", ...pt(base, 0, 600) }, members, 1500)).toEqual({
      member: null,
      distances: [],
    });
  });
});

describe("PUT /api/walk-network and /api/nearby", () => {
  it("reports the network time over the bridge, far longer than the straight-line estimate", async () => {
    const base = area(2);
    const admin = await streetAdmin();
    const compound = await createCompoundAt(await createCommunity(), pt(base, 0, 0));
    const facility = await createFacility({ kind: "pharmacy", ...pt(base, 0, 120) });

    const before = await nearby(`compoundId=${compound}`);
    const estimate = before.items.find((i) => i.facility.id === facility)?.walk;
    expect(estimate).toMatchObject({ via: "estimate", tier: 5 });

    const res = await importNetwork(admin.cookie, "河两岸", riverFootpaths(base));
    expect(res.status).toBe(200);
    const status = await json<Status>(res);
    expect(status.network).toMatchObject({ name: "河两岸", nodeCount: 14, edgeCount: 13 });
    expect(status.network?.compounds).toBeGreaterThanOrEqual(1);
    expect(status.network?.distances).toBeGreaterThanOrEqual(1);

    const viaBridge = along(pt(base, 0, 0), pt(base, -400, 0), pt(base, -400, 120), pt(base, 0, 120));
    const after = await nearby(`compoundId=${compound}`);
    const walk = after.items.find((i) => i.facility.id === facility)?.walk;
    expect(walk).toEqual({
      via: "network",
      metres: Math.round(viaBridge),
      minutes: Math.round((viaBridge / 75) * 10) / 10,
      tier: 15,
    });
    expect(walk?.minutes).toBeGreaterThan(5 * (estimate?.minutes ?? 0));

    const elder = await nearby(`compoundId=${compound}&pace=elder&maxMinutes=20`);
    expect(elder.items.find((i) => i.facility.id === facility)?.walk).toMatchObject({
      via: "network",
      minutes: Math.round((viaBridge / 50) * 10) / 10,
    });

    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "walk_network.import"), eq(auditLog.actorAccountId, admin.id)));
    expect(audit?.subjectId).toBe("current");
  });

  it("falls back to the estimate for a compound or a facility off the network", async () => {
    const base = area(3);
    const admin = await streetAdmin();
    const community = await createCommunity();
    const onNet = await createCompoundAt(community, pt(base, 0, 0));
    const offNet = await createCompoundAt(community, pt(base, 0, -500));
    const onFacility = await createFacility({ kind: "pharmacy", ...pt(base, 0, 120) });
    const offFacility = await createFacility({ kind: "pharmacy", ...pt(base, 0, -400) });
    expect((await importNetwork(admin.cookie, "一座桥", riverFootpaths(base))).status).toBe(200);

    const fromOff = await nearby(`compoundId=${offNet}`);
    const walk = fromOff.items.find((i) => i.facility.id === onFacility)?.walk;
    const straight = haversineMetres(pt(base, 0, -500), pt(base, 0, 120));
    expect(walk).toMatchObject({ via: "estimate", metres: Math.round(straight * 1.3) });

    const fromOn = await nearby(`compoundId=${onNet}`);
    expect(fromOn.items.find((i) => i.facility.id === offFacility)?.walk.via).toBe("estimate");
    expect(fromOn.items.find((i) => i.facility.id === onFacility)?.walk.via).toBe("network");
    // Origins other than a compound always use the estimate.
    const fromPoint = await nearby(`lat=${pt(base, 0, 0).lat}&lng=${pt(base, 0, 0).lng}`);
    expect(fromPoint.items.find((i) => i.facility.id === onFacility)?.walk.via).toBe("estimate");
  });

  it("replaces the previous network on re-import: the old distances are gone", async () => {
    const base = area(4);
    const admin = await streetAdmin();
    const compound = await createCompoundAt(await createCommunity(), pt(base, 0, 0));
    const facility = await createFacility({ kind: "pharmacy", ...pt(base, 0, 120) });

    expect((await importNetwork(admin.cookie, "西桥", riverFootpaths(base, -400))).status).toBe(200);
    const far = (await nearby(`compoundId=${compound}`)).items.find((i) => i.facility.id === facility)?.walk;
    expect(far?.via).toBe("network");
    expect(far?.metres).toBeGreaterThan(900);

    expect((await importNetwork(admin.cookie, "新桥", riverFootpaths(base, 0))).status).toBe(200);
    const near = (await nearby(`compoundId=${compound}`)).items.find((i) => i.facility.id === facility)?.walk;
    expect(near).toMatchObject({ via: "network", metres: Math.round(along(pt(base, 0, 0), pt(base, 0, 120))) });
    expect(await distanceRows(compound)).toHaveLength(1);

    const elsewhere = await importNetwork(admin.cookie, "别处", riverFootpaths(area(12)));
    expect((await json<Status>(elsewhere)).network?.name).toBe("别处");
    expect(await distanceRows(compound)).toEqual([]);
    const members = await db().select().from(walkMembers).where(eq(walkMembers.memberId, compound));
    expect(members).toEqual([]);
    const walk = (await nearby(`compoundId=${compound}`)).items.find((i) => i.facility.id === facility)?.walk;
    expect(walk?.via).toBe("estimate");
  });

  it("refuses a bad file with IMPORT_INVALID row details and changes nothing", async () => {
    const base = area(5);
    const admin = await streetAdmin();
    const compound = await createCompoundAt(await createCommunity(), pt(base, 0, 0));
    await createFacility({ kind: "pharmacy", ...pt(base, 0, 120) });
    expect((await importNetwork(admin.cookie, "好的", riverFootpaths(base))).status).toBe(200);
    const before = await json<Status>(await call("/api/walk-network"));
    const distancesBefore = await distanceRows(compound);
    expect(distancesBefore).toHaveLength(1);

    const good = line(at(base, 0, 0), at(base, 0, 120));
    const cases: Array<[unknown, Array<{ row: number; field: string }>]> = [
      [{ type: "Feature", geometry: good.geometry }, [{ row: 0, field: "type" }]],
      [{ type: "FeatureCollection", features: [] }, [{ row: 0, field: "features" }]],
      [
        {
          type: "FeatureCollection",
          features: [good, { type: "Feature", geometry: { type: "Point", coordinates: at(base, 0, 0) } }],
        },
        [{ row: 2, field: "geometry" }],
      ],
      [
        {
          type: "FeatureCollection",
          features: [
            line([base.lat, base.lng], [base.lat + 0.001, base.lng]),
            good,
            line([116.39, 39.9], [116.4, 39.91]),
          ],
        },
        [
          { row: 1, field: "geometry.coordinates" },
          { row: 3, field: "geometry.coordinates" },
        ],
      ],
    ];
    for (const [geojson, expected] of cases) {
      const res = await importNetwork(admin.cookie, "坏的", geojson);
      expect(res.status, JSON.stringify(geojson)).toBe(400);
      const body = await json<ErrorBody>(res);
      expect(body.error.code).toBe("IMPORT_INVALID");
      expect(body.error.details?.map(({ row, field }) => ({ row, field }))).toEqual(expected);
      for (const d of body.error.details ?? []) expect(d.reason).toEqual(expect.any(String));
    }

    const missing = await call("/api/walk-network", { method: "PUT", cookie: admin.cookie, body: { name: "无" } });
    expect(missing.status).toBe(400);

    expect(await json<Status>(await call("/api/walk-network"))).toEqual(before);
    expect(await distanceRows(compound)).toEqual(distancesBefore);
  });

  it("lets only street admins import or clear the network (401 anonymous, 403 others)", async () => {
    const base = area(6);
    const community = await createCommunity();
    const resident = await createAccount();
    const staff = await createAccount();
    await grantRole(staff.id, "community_staff", { communityId: community });
    const before = await json<Status>(await call("/api/walk-network"));
    const geojson = riverFootpaths(base);

    expect((await call("/api/walk-network", { method: "PUT", body: { name: "x", geojson } })).status).toBe(401);
    expect((await importNetwork(resident.cookie, "x", geojson)).status).toBe(403);
    expect((await importNetwork(staff.cookie, "x", geojson)).status).toBe(403);
    expect((await call("/api/walk-network", { method: "DELETE" })).status).toBe(401);
    expect((await call("/api/walk-network", { method: "DELETE", cookie: resident.cookie })).status).toBe(403);
    expect((await call("/api/walk-network", { method: "DELETE", cookie: staff.cookie })).status).toBe(403);
    expect(await json<Status>(await call("/api/walk-network"))).toEqual(before);
  });

  it("DELETE clears the network and walking times fall back to the estimate", async () => {
    const base = area(7);
    const admin = await streetAdmin();
    const compound = await createCompoundAt(await createCommunity(), pt(base, 0, 0));
    const facility = await createFacility({ kind: "pharmacy", ...pt(base, 0, 120) });
    expect((await importNetwork(admin.cookie, "临时", riverFootpaths(base))).status).toBe(200);
    expect((await json<Status>(await call("/api/walk-network"))).network?.name).toBe("临时");

    const res = await call("/api/walk-network", { method: "DELETE", cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(await json<Status>(res)).toEqual({ network: null });
    expect(await json<Status>(await call("/api/walk-network"))).toEqual({ network: null });
    expect(await db().select().from(walkDistances)).toEqual([]);
    expect(await db().select().from(walkMembers)).toEqual([]);
    const walk = (await nearby(`compoundId=${compound}`)).items.find((i) => i.facility.id === facility)?.walk;
    expect(walk?.via).toBe("estimate");
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "walk_network.delete"));
    expect(audits.some((a) => a.actorAccountId === admin.id)).toBe(true);
  });

  it("gives facilities added, moved or removed after the import their network distances", async () => {
    const base = area(8);
    const admin = await streetAdmin();
    const community = await createCommunity();
    const compound = await createCompoundAt(community, pt(base, 0, 0));
    expect((await importNetwork(admin.cookie, "新增", riverFootpaths(base))).status).toBe(200);

    const created = await call("/api/facilities", {
      cookie: admin.cookie,
      body: { kind: "supermarket", name: "北岸超市", ...pt(base, -200, 120), communityId: community },
    });
    expect(created.status).toBe(201);
    const { id } = await json<{ id: string }>(created);
    const viaBridge = along(pt(base, 0, 0), pt(base, -400, 0), pt(base, -400, 120), pt(base, -200, 120));
    const walk = (await nearby(`compoundId=${compound}`)).items.find((i) => i.facility.id === id)?.walk;
    expect(walk).toMatchObject({ via: "network", metres: Math.round(viaBridge) });

    const moved = await call(`/api/facilities/${id}`, {
      method: "PATCH",
      cookie: admin.cookie,
      body: pt(base, 0, 120),
    });
    expect(moved.status).toBe(200);
    const farther = along(pt(base, 0, 0), pt(base, -400, 0), pt(base, -400, 120), pt(base, 0, 120));
    const walkAfterMove = (await nearby(`compoundId=${compound}`)).items.find((i) => i.facility.id === id)?.walk;
    expect(walkAfterMove).toMatchObject({ via: "network", metres: Math.round(farther) });

    const imported = await call("/api/facilities/import", {
      cookie: admin.cookie,
      body: {
        format: "csv",
        content: `kind,name,lat,lng\npharmacy,北岸药店,${pt(base, -200, 120).lat},${pt(base, -200, 120).lng}\n`,
      },
    });
    expect(imported.status).toBe(200);
    const items = (await nearby(`compoundId=${compound}&kinds=pharmacy`)).items;
    expect(items).toHaveLength(1);
    expect(items[0]?.walk).toMatchObject({ via: "network", metres: Math.round(viaBridge) });
    // The import recomputed every pair: the moved supermarket keeps its distance.
    expect((await distanceRows(compound)).find((d) => d.facilityId === id)?.metres).toBe(Math.round(farther));

    expect((await call(`/api/facilities/${id}`, { method: "DELETE", cookie: admin.cookie })).status).toBe(200);
    expect((await distanceRows(compound)).some((d) => d.facilityId === id)).toBe(false);
    expect(await db().select().from(walkMembers).where(eq(walkMembers.memberId, id))).toEqual([]);
  });

  it("lists a facility 23 minutes away by network when asked for up to 30 minutes, as it lists one as far by the estimate", async () => {
    const base = area(9);
    const admin = await streetAdmin();
    const compound = await createCompoundAt(await createCommunity(), pt(base, 0, 0));
    const facility = await createFacility({ kind: "pharmacy", ...pt(base, 0, 120) });
    expect((await importNetwork(admin.cookie, "远桥", riverFootpaths(base, -800))).status).toBe(200);
    const viaBridge = along(pt(base, 0, 0), pt(base, -800, 0), pt(base, -800, 120), pt(base, 0, 120));
    expect(viaBridge / 75).toBeGreaterThan(20);
    expect(viaBridge / 75).toBeLessThan(30);

    // Off the network, south of the streets: as far by the estimate (straight × 1.3) as the network walk.
    const offNetwork = await createFacility({ kind: "pharmacy", ...pt(base, 0, -viaBridge / 1.3) });

    const result = await nearby(`compoundId=${compound}&maxMinutes=30`);
    expect(result.maxMinutes).toBe(30);
    expect(result.items.find((i) => i.facility.id === offNetwork)?.walk).toMatchObject({
      via: "estimate",
      metres: Math.round(viaBridge),
    });
    expect(result.items.find((i) => i.facility.id === facility)?.walk).toMatchObject({
      via: "network",
      metres: Math.round(viaBridge),
    });
  });
});
