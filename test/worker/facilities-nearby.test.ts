import { describe, expect, it } from "vitest";
import { WEEKDAYS } from "../../worker/features/facilities/opening-hours";
import { haversineMetres, type Point } from "../../worker/lib/geo";
import {
  call,
  createAccount,
  createCommunity,
  createCommunityAt,
  createCompoundAt,
  createFacility,
  grantRole,
  json,
  offsetPoint,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type Item = {
  facility: { id: string; name: string; kind: string; openNow: boolean | null };
  walk: { minutes: number; metres: number; via: string; tier: number | null };
};
type Nearby = {
  origin: { type: string; id: string | null; name: string | null; lat: number; lng: number };
  pace: string;
  speedKmh: number;
  maxMinutes: number;
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
};

/** A separate patch of the street for each test, about 2 km apart, so their facilities never meet. */
const area = (n: number): Point => ({ lat: 39.07 + 0.02 * n, lng: 117.36 + 0.03 * (n % 3) });
const north = (base: Point, metres: number) => offsetPoint(base, metres, 0);

async function nearby(query: string) {
  const res = await call(`/api/nearby?${query}`);
  expect(res.status, query).toBe(200);
  return json<Nearby>(res);
}

const ids = (result: Nearby) => result.items.map((i) => i.facility.id);

/** Facilities due north of `base` at 100, 300, 600 and 2000 m: 1.7, 5.2, 10.4 and 34.7 minutes at 4.5 km/h. */
async function ladder(base: Point) {
  return {
    m100: await createFacility({ kind: "pharmacy", name: "药店甲", ...north(base, 100) }),
    m300: await createFacility({ kind: "supermarket", name: "超市乙", ...north(base, 300) }),
    m600: await createFacility({ kind: "bank", name: "银行丙", ...north(base, 600) }),
    m2000: await createFacility({ kind: "bank", name: "银行丁", ...north(base, 2000) }),
  };
}

describe("GET /api/nearby", () => {
  it("lists facilities within 15 minutes of a compound, nearest first, with walking minutes", async () => {
    const base = area(0);
    const compound = await createCompoundAt(await createCommunity(), base);
    const f = await ladder(base);

    const result = await nearby(`compoundId=${compound}`);
    expect(result.origin).toMatchObject({ type: "compound", id: compound, lat: base.lat, lng: base.lng });
    expect(result).toMatchObject({ pace: "normal", speedKmh: 4.5, maxMinutes: 15, total: 3, page: 1, pageSize: 50 });
    expect(ids(result)).toEqual([f.m100, f.m300, f.m600]);
    expect(result.items.map((i) => i.walk)).toEqual([
      { via: "estimate", metres: 130, minutes: 1.7, tier: 5 },
      { via: "estimate", metres: 390, minutes: 5.2, tier: 10 },
      { via: "estimate", metres: 780, minutes: 10.4, tier: 15 },
    ]);
    const minutes = result.items.map((i) => i.walk.minutes);
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
  });

  it("measures from a community office or from a point", async () => {
    const base = area(1);
    const community = await createCommunityAt(north(base, -200), "测距社区");
    const f = await ladder(base);

    const fromCommunity = await nearby(`communityId=${community}`);
    expect(fromCommunity.origin).toMatchObject({ type: "community", id: community });
    expect(fromCommunity.origin.name).toContain("测距社区");
    // 300, 500 and 800 m from the office: 5.2, 8.7 and 13.9 minutes.
    expect(ids(fromCommunity)).toEqual([f.m100, f.m300, f.m600]);
    expect(fromCommunity.items.map((i) => i.walk.metres)).toEqual([390, 650, 1040]);

    const fromPoint = await nearby(`lat=${base.lat}&lng=${base.lng}&maxMinutes=30`);
    expect(fromPoint.origin).toEqual({ type: "point", id: null, name: null, lat: base.lat, lng: base.lng });
    expect(fromPoint.maxMinutes).toBe(30);
    expect(ids(fromPoint)).toEqual([f.m100, f.m300, f.m600]);
  });

  it("filters by kinds, comma-separated", async () => {
    const base = area(2);
    const f = await ladder(base);
    const origin = `lat=${base.lat}&lng=${base.lng}`;
    expect(ids(await nearby(`${origin}&kinds=pharmacy`))).toEqual([f.m100]);
    expect(ids(await nearby(`${origin}&kinds=pharmacy,bank`))).toEqual([f.m100, f.m600]);
    expect(ids(await nearby(`${origin}&kinds=bank,`))).toEqual([f.m600]);
    expect((await nearby(`${origin}&kinds=park`)).items).toEqual([]);
  });

  it("limits to a tier's minutes", async () => {
    const base = area(3);
    const f = await ladder(base);
    const origin = `lat=${base.lat}&lng=${base.lng}`;
    const five = await nearby(`${origin}&tier=5`);
    expect(five.maxMinutes).toBe(5);
    expect(ids(five)).toEqual([f.m100]);
    expect(ids(await nearby(`${origin}&tier=10`))).toEqual([f.m100, f.m300]);
    // maxMinutes cannot widen a tier.
    expect(ids(await nearby(`${origin}&tier=5&maxMinutes=30`))).toEqual([f.m100]);
    expect(ids(await nearby(`${origin}&maxMinutes=6`))).toEqual([f.m100, f.m300]);
  });

  it("keeps only places open now when asked", async () => {
    const base = area(4);
    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    const create = async (name: string, openingHours: unknown) => {
      const res = await call("/api/facilities", {
        cookie: admin.cookie,
        body: { kind: "convenience_store", name, ...north(base, 150), openingHours },
      });
      expect(res.status).toBe(201);
      return (await json<{ id: string }>(res)).id;
    };
    const always = await create("全天便利店", {
      weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [["00:00", "24:00"]]])),
      exceptions: [],
    });
    const never = await create("歇业便利店", { weekly: {}, exceptions: [] });
    const origin = `lat=${base.lat}&lng=${base.lng}`;

    const open = await nearby(`${origin}&openNow=true`);
    expect(ids(open)).toEqual([always]);
    expect(open.items[0]?.facility.openNow).toBe(true);
    const all = await nearby(`${origin}&openNow=false`);
    expect(ids(all).sort()).toEqual([always, never].sort());
    // Publishing no hours is not "closed": the API says it does not know.
    expect(all.items.find((i) => i.facility.id === never)?.facility.openNow).toBeNull();
  });

  it("gives larger minutes at the elder pace and reaches less far", async () => {
    const base = area(5);
    const f = await ladder(base);
    const origin = `lat=${base.lat}&lng=${base.lng}`;
    const normal = await nearby(origin);
    const elder = await nearby(`${origin}&pace=elder`);
    expect(elder).toMatchObject({ pace: "elder", speedKmh: 3 });
    expect(ids(elder)).toEqual([f.m100, f.m300]);
    for (const item of elder.items) {
      const same = normal.items.find((i) => i.facility.id === item.facility.id);
      expect(item.walk.minutes).toBeGreaterThan(same?.walk.minutes ?? Number.POSITIVE_INFINITY);
      expect(item.walk.metres).toBe(same?.walk.metres);
    }
    expect(elder.items.map((i) => i.walk.minutes)).toEqual([2.6, 7.8]);
  });

  it("pages through the results, nearest first, ties by name", async () => {
    const base = area(6);
    const names = ["五号", "一号", "四号", "二号", "三号"];
    const created: Array<{ id: string; metres: number }> = [];
    for (const [i, name] of names.entries()) {
      const metres = [400, 100, 400, 200, 300][i] ?? 0;
      created.push({ id: await createFacility({ kind: "park", name, ...north(base, metres) }), metres });
    }
    const origin = `lat=${base.lat}&lng=${base.lng}`;
    const all = await nearby(origin);
    expect(all.total).toBe(5);
    const order = all.items.map((i) => i.facility.name);
    expect(order.slice(0, 3)).toEqual(["一号", "二号", "三号"]);
    expect(order.slice(3).sort((a, b) => a.localeCompare(b))).toEqual(order.slice(3));

    const second = await nearby(`${origin}&page=2&pageSize=2`);
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(second.items.map((i) => i.facility.name)).toEqual(order.slice(2, 4));
    const third = await nearby(`${origin}&page=3&pageSize=2`);
    expect(third.items.map((i) => i.facility.name)).toEqual(order.slice(4));
    const beyond = await nearby(`${origin}&page=4&pageSize=2`);
    expect(beyond).toMatchObject({ items: [], total: 5 });
  });

  it("counts the straight line from the origin, not from the bounding box", async () => {
    const base = area(7);
    // 800 m north-east: inside the lat/lng box of a 1125 m radius, but 800 × 1.3 m is 13.9 minutes…
    const diagonal = await createFacility({ kind: "bank", ...offsetPoint(base, 566, 566) });
    // …while 1000 m north-east (17.3 minutes) is still inside the box but out of reach.
    const corner = await createFacility({ kind: "bank", ...offsetPoint(base, 707, 707) });
    expect(haversineMetres(base, offsetPoint(base, 707, 707))).toBeCloseTo(1000, -1);
    const result = await nearby(`lat=${base.lat}&lng=${base.lng}`);
    expect(ids(result)).toContain(diagonal);
    expect(ids(result)).not.toContain(corner);
  });

  it.each([
    ["", "no origin"],
    ["kinds=pharmacy", "no origin, a filter only"],
    ["compoundId=cpd_x&communityId=com_x", "two origins"],
    ["compoundId=cpd_x&lat=39.2&lng=117.3", "a compound and a point"],
    ["lat=39.2", "lat without lng"],
    ["lat=40.2&lng=117.3", "a point outside the street"],
    ["lat=117.3&lng=39.2", "lat and lng swapped"],
    ["lat=39.2&lng=117.3&kinds=hospital", "an unknown kind"],
    ["lat=39.2&lng=117.3&kinds=pharmacy,casino", "one unknown kind among known"],
    ["lat=39.2&lng=117.3&kinds=,", "no kinds at all"],
    ["lat=39.2&lng=117.3&radius=500", "an unknown query key"],
    ["lat=39.2&lng=117.3&tier=7", "a tier that does not exist"],
    ["lat=39.2&lng=117.3&pace=fast", "an unknown pace"],
    ["lat=39.2&lng=117.3&openNow=yes", "openNow not true/false"],
    ["lat=39.2&lng=117.3&maxMinutes=31", "more than 30 minutes"],
    ["lat=39.2&lng=117.3&pageSize=0", "an empty page"],
    ["lat=39.2&lng=117.3&page=0", "page zero"],
  ])("answers 400 for %j (%s)", async (query) => {
    const res = await call(`/api/nearby?${query}`);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("VALIDATION_FAILED");
  });

  it("answers 404 for an unknown compound or community", async () => {
    for (const query of ["compoundId=cpd_doesnotexist", "communityId=com_doesnotexist"]) {
      const res = await call(`/api/nearby?${query}`);
      expect(res.status).toBe(404);
      expect((await json<ErrorBody>(res)).error.code).toBe("NOT_FOUND");
    }
  });
});
