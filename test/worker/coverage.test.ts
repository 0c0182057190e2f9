import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { compounds } from "../../db/schema";
import { REQUIRED_KINDS } from "../../worker/features/facilities/kinds";
import type { Point } from "../../worker/lib/geo";
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
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string } };
type Cell = {
  kind: string;
  tier: number;
  covered: boolean;
  nearest: null | { facilityId: string; name: string; minutes: number; via: string };
};
type Coverage = {
  compound: { id: string; communityId: string; residents: number };
  pace: string;
  cells: Cell[];
  gaps: number;
  coveredTiers: number[];
};
type Summary = {
  compounds: number;
  fullyCoveredShare: Record<"5" | "10" | "15", number>;
  gapsByKind: Array<{ kind: string; tier: number; compoundsWithGap: number }>;
  worstServed: Array<{ compoundId: string; gaps: number }>;
};
type Street = { summary: { normal: Summary; elder: Summary }; pace: string; grid: Coverage[] };
type CommunityCoverage = {
  community: { id: string };
  compounds: Coverage[];
  kinds: Array<{ kind: string; tier: number; covered: number; gaps: number }>;
};

/** A separate patch of the street for each fixture, about 2 km apart, so none reaches another's facilities. */
const area = (n: number): Point => ({ lat: 39.07 + 0.02 * n, lng: 117.44 - 0.03 * (n % 3) });
const north = (base: Point, metres: number) => offsetPoint(base, metres, 0);

const TIER5 = REQUIRED_KINDS.filter((k) => k.tier === 5).map((k) => k.code);

/** One facility of each kind, `metres` north of `base`. Returns kind → facility id. */
async function place(base: Point, kinds: readonly string[], metres: number) {
  const ids = new Map<string, string>();
  for (const kind of kinds) ids.set(kind, await createFacility({ kind, ...north(base, metres) }));
  return ids;
}

async function staffOf(community: string): Promise<TestAccount> {
  const staff = await createAccount({ name: "社区干部" });
  await grantRole(staff.id, "community_staff", { communityId: community });
  return staff;
}

async function compoundCoverage(id: string, query = "") {
  const res = await call(`/api/coverage/compounds/${id}${query}`);
  expect(res.status).toBe(200);
  return json<Coverage>(res);
}

const cell = (coverage: Coverage, kind: string) => {
  const found = coverage.cells.find((c) => c.kind === kind);
  if (!found) throw new Error(`no cell for ${kind}`);
  return found;
};

describe("GET /api/coverage/compounds/{id}", () => {
  it("marks required kinds in reach as covered and the rest as gaps", async () => {
    const base = area(0);
    const compound = await createCompoundAt(await createCommunity(), base);
    // 150 m straight is 195 m walked: 2.6 minutes. 500 m is 8.7 minutes; 900 m is 15.6.
    const near = await place(base, TIER5, 150);
    const supermarket = await createFacility({ kind: "supermarket", ...north(base, 500) });
    const busStop = await createFacility({ kind: "bus_stop", ...north(base, 900) });

    const coverage = await compoundCoverage(compound);
    expect(coverage.compound.id).toBe(compound);
    expect(coverage.pace).toBe("normal");
    expect(coverage.cells.map((c) => c.kind)).toEqual(REQUIRED_KINDS.map((k) => k.code));
    for (const kind of TIER5) {
      expect(cell(coverage, kind)).toEqual({
        kind,
        tier: 5,
        covered: true,
        nearest: { facilityId: near.get(kind), name: expect.any(String), minutes: 2.6, via: "estimate" },
      });
    }
    expect(cell(coverage, "supermarket")).toMatchObject({ covered: true, nearest: { facilityId: supermarket } });
    expect(cell(coverage, "bus_stop")).toMatchObject({
      tier: 10,
      covered: false,
      nearest: { facilityId: busStop, minutes: 15.6 },
    });
    for (const kind of [
      "primary_school",
      "middle_school",
      "community_hospital",
      "culture_centre",
      "elderly_care_home",
    ]) {
      const missing = cell(coverage, kind);
      expect(missing.covered, kind).toBe(false);
      expect(missing.nearest?.minutes ?? Number.POSITIVE_INFINITY).toBeGreaterThan(missing.tier);
    }
    expect(coverage.gaps).toBe(6);
    expect(coverage.coveredTiers).toEqual([5]);

    // At 3 km/h the supermarket is 13 minutes away: a gap too.
    const elder = await compoundCoverage(compound, "?pace=elder");
    expect(elder.pace).toBe("elder");
    expect(cell(elder, "supermarket")).toMatchObject({ covered: false, nearest: { minutes: 13 } });
    expect(cell(elder, "kindergarten")).toMatchObject({ covered: true, nearest: { minutes: 3.9 } });
    expect(elder.gaps).toBe(7);
    expect(elder.coveredTiers).toEqual([5]);
  });

  it("covers every tier when every required kind is a short walk away", async () => {
    const base = area(1);
    const compound = await createCompoundAt(await createCommunity(), base);
    await place(
      base,
      REQUIRED_KINDS.map((k) => k.code),
      150,
    );
    const coverage = await compoundCoverage(compound);
    expect(coverage.gaps).toBe(0);
    expect(coverage.coveredTiers).toEqual([5, 10, 15]);
    expect(coverage.cells.every((c) => c.covered && c.nearest?.minutes === 2.6)).toBe(true);
  });

  it("does not count kinds that no standard requires", async () => {
    const base = area(2);
    const compound = await createCompoundAt(await createCommunity(), base);
    await place(base, ["pharmacy", "bank", "metro_station", "convenience_store"], 100);
    const coverage = await compoundCoverage(compound);
    expect(coverage.cells.map((c) => c.kind)).not.toContain("pharmacy");
    expect(coverage.gaps).toBe(REQUIRED_KINDS.length);
    expect(coverage.coveredTiers).toEqual([]);
  });

  it("answers 404 for an unknown compound and 400 for a bad query", async () => {
    const missing = await call("/api/coverage/compounds/cpd_doesnotexist");
    expect(missing.status).toBe(404);
    expect((await json<ErrorBody>(missing)).error.code).toBe("NOT_FOUND");
    const compound = await createCompoundAt(await createCommunity(), area(3));
    for (const query of ["?pace=fast", "?tier=5"]) {
      const res = await call(`/api/coverage/compounds/${compound}${query}`);
      expect(res.status, query).toBe(400);
      expect((await json<ErrorBody>(res)).error.code).toBe("VALIDATION_FAILED");
    }
  });

  it("uses the walking network: a kind across the river, reached only by a far bridge, is a gap", async () => {
    const base = area(4);
    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    const community = await createCommunity();
    const compound = await createCompoundAt(community, base);
    const toilet = await createFacility({ kind: "public_toilet", ...north(base, 120) });
    expect(cell(await compoundCoverage(compound), "public_toilet")).toMatchObject({
      covered: true,
      nearest: { facilityId: toilet, via: "estimate" },
    });

    const imported = await call("/api/walk-network", {
      method: "PUT",
      cookie: admin.cookie,
      body: { name: "河", geojson: riverFootpaths(base, -400) },
    });
    expect(imported.status).toBe(200);
    try {
      const across = cell(await compoundCoverage(compound), "public_toilet");
      expect(across).toMatchObject({ covered: false, nearest: { facilityId: toilet, via: "network" } });
      expect(across.nearest?.minutes).toBeGreaterThan(12);

      const res = await call(`/api/coverage/communities/${community}`, { cookie: admin.cookie });
      const byCommunity = await json<CommunityCoverage>(res);
      const mine = byCommunity.compounds.find((c) => c.compound.id === compound);
      expect(mine && cell(mine, "public_toilet")).toMatchObject({ covered: false, nearest: { via: "network" } });
    } finally {
      await call("/api/walk-network", { method: "DELETE", cookie: admin.cookie });
    }
  });
});

describe("GET /api/coverage/communities/{id}", () => {
  it("gives staff every compound of the community and counts per required kind", async () => {
    const community = await createCommunity();
    const served = await createCompoundAt(community, area(5));
    const unserved = await createCompoundAt(community, area(6));
    const elsewhere = await createCompoundAt(await createCommunity(), area(5));
    await place(
      area(5),
      REQUIRED_KINDS.map((k) => k.code),
      150,
    );
    const staff = await staffOf(community);

    const res = await call(`/api/coverage/communities/${community}`, { cookie: staff.cookie });
    expect(res.status).toBe(200);
    const body = await json<CommunityCoverage>(res);
    expect(body.community.id).toBe(community);
    expect(body.compounds.map((c) => c.compound.id).sort()).toEqual([served, unserved].sort());
    expect(body.compounds.map((c) => c.compound.id)).not.toContain(elsewhere);
    expect(body.compounds.find((c) => c.compound.id === served)?.gaps).toBe(0);
    expect(body.compounds.find((c) => c.compound.id === unserved)?.gaps).toBe(REQUIRED_KINDS.length);
    expect(body.kinds).toEqual(REQUIRED_KINDS.map((k) => ({ kind: k.code, tier: k.tier, covered: 1, gaps: 1 })));

    const elder = await json<CommunityCoverage>(
      await call(`/api/coverage/communities/${community}?pace=elder`, { cookie: staff.cookie }),
    );
    expect(elder.compounds.every((c) => c.pace === "elder")).toBe(true);
  });

  it("answers 401 signed out, 403 to residents, 404 for an unknown community", async () => {
    const community = await createCommunity();
    const resident = await createAccount();
    const staff = await staffOf(community);
    expect((await call(`/api/coverage/communities/${community}`)).status).toBe(401);
    expect((await call(`/api/coverage/communities/${community}`, { cookie: resident.cookie })).status).toBe(403);
    const missing = await call("/api/coverage/communities/com_doesnotexist", { cookie: staff.cookie });
    expect(missing.status).toBe(404);
    const bad = await call(`/api/coverage/communities/${community}?pace=slow`, { cookie: staff.cookie });
    expect(bad.status).toBe(400);
  });
});

describe("GET /api/coverage/street", () => {
  it("answers 401 signed out and 403 to residents", async () => {
    const resident = await createAccount();
    expect((await call("/api/coverage/street")).status).toBe(401);
    expect((await call("/api/coverage/street", { cookie: resident.cookie })).status).toBe(403);
    const staff = await staffOf(await createCommunity());
    expect((await call("/api/coverage/street?pace=jog", { cookie: staff.cookie })).status).toBe(400);
  });

  it("summarises at both paces: the elder pace covers fewer; the worst served come first", async () => {
    const community = await createCommunity();
    const staff = await staffOf(community);
    // Every required kind 250 m away: 4.3 minutes at 4.5 km/h, 6.5 at 3 km/h.
    const edge = await createCompoundAt(community, area(7));
    await place(
      area(7),
      REQUIRED_KINDS.map((k) => k.code),
      250,
    );
    // Nothing within reach, and the most residents of any compound here.
    const worst = await createCompoundAt(community, area(8), { residents: 99_999 });

    const res = await call("/api/coverage/street", { cookie: staff.cookie });
    expect(res.status).toBe(200);
    const street = await json<Street>(res);
    const [{ n }] = (await db().select({ n: count() }).from(compounds)) as [{ n: number }];
    const { normal, elder } = street.summary;
    expect(street.pace).toBe("normal");
    expect(normal.compounds).toBe(n);
    expect(elder.compounds).toBe(n);
    expect(street.grid).toHaveLength(n);

    const inGrid = (grid: Coverage[], id: string) => grid.find((c) => c.compound.id === id);
    expect(inGrid(street.grid, edge)?.coveredTiers).toEqual([5, 10, 15]);
    const elderGrid = (await json<Street>(await call("/api/coverage/street?pace=elder", { cookie: staff.cookie })))
      .grid;
    expect(inGrid(elderGrid, edge)?.coveredTiers).toEqual([]);
    expect(inGrid(elderGrid, edge)?.gaps).toBe(TIER5.length);

    // Shares follow from the grid, shrink from tier to tier, and are smaller at the elder pace.
    for (const [summary, grid] of [
      [normal, street.grid],
      [elder, elderGrid],
    ] as const) {
      for (const tier of [5, 10, 15] as const) {
        const share = grid.filter((c) => c.coveredTiers.includes(tier)).length / n;
        expect(summary.fullyCoveredShare[tier]).toBeCloseTo(share, 3);
      }
      expect(summary.fullyCoveredShare["5"]).toBeGreaterThanOrEqual(summary.fullyCoveredShare["10"]);
      expect(summary.fullyCoveredShare["10"]).toBeGreaterThanOrEqual(summary.fullyCoveredShare["15"]);
    }
    for (const tier of ["5", "10", "15"] as const) {
      expect(elder.fullyCoveredShare[tier]).toBeLessThan(normal.fullyCoveredShare[tier]);
    }
    for (const k of normal.gapsByKind) {
      const e = elder.gapsByKind.find((g) => g.kind === k.kind);
      expect(e?.compoundsWithGap).toBeGreaterThanOrEqual(k.compoundsWithGap);
      if (TIER5.includes(k.kind as (typeof TIER5)[number])) {
        expect(e?.compoundsWithGap).toBeGreaterThan(k.compoundsWithGap);
      }
    }
    expect(normal.gapsByKind.map((g) => g.kind)).toEqual(REQUIRED_KINDS.map((k) => k.code));

    for (const summary of [normal, elder]) {
      expect(summary.worstServed[0]).toMatchObject({ compoundId: worst, gaps: REQUIRED_KINDS.length });
      expect(summary.worstServed.length).toBeLessThanOrEqual(10);
      const gaps = summary.worstServed.map((w) => w.gaps);
      expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
      expect(summary.worstServed.every((w) => w.gaps > 0)).toBe(true);
    }
    expect(normal.worstServed.map((w) => w.compoundId)).not.toContain(edge);
  });
});
