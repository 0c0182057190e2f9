import { and, count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, facilities } from "../../db/schema";
import {
  call,
  createAccount,
  createCommunity,
  createFacility,
  createOffering,
  createOrganisation,
  createOrgStaff,
  db,
  grantRole,
  json,
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type Facility = {
  id: string;
  kind: string;
  name: string;
  lat: number;
  lng: number;
  address: string | null;
  phone: string | null;
  communityId: string | null;
  organisationId: string | null;
  organisationName: string | null;
  services: string[];
  accessibility: { stepFree: boolean; lift: boolean; accessibleToilet: boolean };
  openingHours: { weekly: Record<string, Array<[string, string]>>; exceptions: unknown[] };
  openNow: boolean;
  notes: string | null;
  updatedAt: number;
};
type Kinds = {
  kinds: Array<{
    code: string;
    zh: string;
    en: string;
    tier: number;
    required: boolean;
    sources: Array<{ standard: string; title: string; clause: string }>;
  }>;
  tiers: number[];
};

async function facilityCount() {
  const [row] = await db().select({ n: count() }).from(facilities);
  return row?.n ?? 0;
}

async function auditsOf(subjectId: string, action: string) {
  return db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectId, subjectId), eq(auditLog.action, action)));
}

async function stored(id: string) {
  const [row] = await db().select().from(facilities).where(eq(facilities.id, id));
  return row;
}

let C: string;
let D: string;
let admin: TestAccount;
let staffC: TestAccount;
let gridC: TestAccount;
let resident: TestAccount;

beforeEach(async () => {
  C = await createCommunity("甲社区");
  D = await createCommunity("乙社区");
  admin = await createAccount({ name: "街道管理员" });
  await grantRole(admin.id, "street_admin");
  staffC = await createAccount({ name: "甲社区干部" });
  await grantRole(staffC.id, "community_staff", { communityId: C });
  gridC = await createAccount({ name: "甲社区网格员" });
  await grantRole(gridC.id, "grid_worker", { communityId: C });
  resident = await createAccount();
});

const input = (overrides: Record<string, unknown> = {}) => ({
  kind: "elderly_service_station",
  name: `老年服务站${crypto.randomUUID().slice(0, 6)}`,
  lat: 39.19,
  lng: 117.29,
  ...overrides,
});

describe("GET /api/facility-kinds", () => {
  it("lists at least 25 kinds, each with a tier and the standards behind it", async () => {
    const res = await call("/api/facility-kinds");
    expect(res.status).toBe(200);
    const { kinds, tiers } = await json<Kinds>(res);
    expect(tiers).toEqual([5, 10, 15]);
    expect(kinds.length).toBeGreaterThanOrEqual(25);
    expect(new Set(kinds.map((k) => k.code)).size).toBe(kinds.length);
    for (const kind of kinds) {
      expect([5, 10, 15], kind.code).toContain(kind.tier);
      expect(kind.zh.length * kind.en.length, kind.code).toBeGreaterThan(0);
      expect(kind.sources.length, kind.code).toBeGreaterThan(0);
      for (const s of kind.sources) expect(s.title.length * s.clause.length, kind.code).toBeGreaterThan(0);
    }
    // A required kind is required by a national standard, not only by the street's own plan.
    const required = kinds.filter((k) => k.required);
    expect(required.length).toBeGreaterThan(10);
    for (const kind of required) {
      expect(
        kind.sources.some((s) => s.standard === "gb50180" || s.standard === "complete"),
        kind.code,
      ).toBe(true);
    }
    expect(kinds.find((k) => k.code === "kindergarten")).toMatchObject({ tier: 5, required: true });
    expect(kinds.find((k) => k.code === "middle_school")).toMatchObject({ tier: 15, required: true });
  });

  it("refuses unknown query keys", async () => {
    expect((await call("/api/facility-kinds?tier=5")).status).toBe(400);
  });
});

describe("POST /api/facilities", () => {
  it("lets a street admin add a facility anywhere, with every field, and audits it", async () => {
    const organisation = await createOrganisation("elderly_centre", D);
    const body = input({
      communityId: D,
      organisationId: organisation,
      address: "金钟街道 幸福路 1 号",
      phone: "022-2466 0000",
      services: ["助餐", "日间照料"],
      accessibility: { stepFree: true, lift: false, accessibleToilet: true },
      openingHours: { weekly: { mon: [["08:00", "17:00"]] }, exceptions: [] },
      notes: "二楼",
    });
    const res = await call("/api/facilities", { cookie: admin.cookie, body });
    expect(res.status).toBe(201);
    const created = await json<Facility>(res);
    expect(created).toMatchObject({ ...body, organisationName: `机构${organisation}`, openNow: expect.any(Boolean) });
    expect(created.id).toMatch(/^fac_/);

    const read = await call(`/api/facilities/${created.id}`);
    expect(read.status).toBe(200);
    expect(await json<Facility>(read)).toEqual(created);
    expect((await stored(created.id))?.updatedByAccountId).toBe(admin.id);

    const [audit] = await auditsOf(created.id, "facility.create");
    expect(audit).toMatchObject({ actorAccountId: admin.id, subjectType: "facility", detail: { kind: body.kind } });
  });

  it("lets community staff add facilities of their own community only", async () => {
    const own = await call("/api/facilities", { cookie: staffC.cookie, body: input({ communityId: C }) });
    expect(own.status).toBe(201);
    const { id } = await json<Facility>(own);
    expect(await auditsOf(id, "facility.create")).toHaveLength(1);

    const before = await facilityCount();
    const other = await call("/api/facilities", { cookie: staffC.cookie, body: input({ communityId: D }) });
    expect(other.status).toBe(403);
    expect((await json<ErrorBody>(other)).error.code).toBe("FORBIDDEN");
    const streetLevel = await call("/api/facilities", { cookie: staffC.cookie, body: input() });
    expect(streetLevel.status).toBe(403);
    expect(await facilityCount()).toBe(before);
  });

  it("refuses residents and grid workers (403) and anonymous callers (401)", async () => {
    const before = await facilityCount();
    expect((await call("/api/facilities", { body: input({ communityId: C }) })).status).toBe(401);
    expect((await call("/api/facilities", { cookie: resident.cookie, body: input({ communityId: C }) })).status).toBe(
      403,
    );
    expect((await call("/api/facilities", { cookie: gridC.cookie, body: input({ communityId: C }) })).status).toBe(403);
    expect(await facilityCount()).toBe(before);
  });

  it.each([
    [{ kind: "hospital" }, "an unknown kind"],
    [{ name: "  " }, "a blank name"],
    [{ lat: 39.9, lng: 116.4 }, "a place in Beijing"],
    [{ lat: 117.29, lng: 39.19 }, "lat and lng swapped"],
    [{ lat: "39.19" }, "a latitude as text"],
    [{ phone: "call me" }, "a bad phone number"],
    [{ openingHours: { weekly: { mon: [["8:00", "17:00"]] } } }, "bad opening hours"],
    [{ services: [""] }, "an empty service"],
    [{ colour: "red" }, "an unknown field"],
  ] as Array<[Record<string, unknown>, string]>)("answers 400 for %o (%s) and writes nothing", async (fields) => {
    const before = await facilityCount();
    const res = await call("/api/facilities", { cookie: admin.cookie, body: input(fields) });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("VALIDATION_FAILED");
    expect(await facilityCount()).toBe(before);
  });

  it("answers 404 for an unknown community or organisation", async () => {
    const before = await facilityCount();
    for (const fields of [{ communityId: "com_doesnotexist" }, { organisationId: "org_doesnotexist" }]) {
      const res = await call("/api/facilities", { cookie: admin.cookie, body: input(fields) });
      expect(res.status).toBe(404);
    }
    expect(await facilityCount()).toBe(before);
  });
});

describe("PATCH /api/facilities/{id}", () => {
  it("lets community staff change their community's facility, keeping the fields they did not send", async () => {
    const id = await createFacility({ kind: "culture_station", name: "文化站", lat: 39.2, lng: 117.3, communityId: C });
    const res = await call(`/api/facilities/${id}`, {
      method: "PATCH",
      cookie: staffC.cookie,
      body: { name: "新文化站", phone: "13800000000" },
    });
    expect(res.status).toBe(200);
    expect(await json<Facility>(res)).toMatchObject({
      id,
      name: "新文化站",
      phone: "13800000000",
      kind: "culture_station",
      lat: 39.2,
      communityId: C,
    });
    expect((await stored(id))?.updatedByAccountId).toBe(staffC.id);
    const [audit] = await auditsOf(id, "facility.update");
    expect(audit).toMatchObject({ actorAccountId: staffC.id, detail: { fields: ["name", "phone"] } });
  });

  it("answers 404 for another community's facility, a street-level one, or none, and changes nothing", async () => {
    const theirs = await createFacility({ kind: "park", name: "乙公园", lat: 39.2, lng: 117.3, communityId: D });
    const streetLevel = await createFacility({ kind: "park", name: "街道公园", lat: 39.2, lng: 117.3 });
    for (const id of [theirs, streetLevel, "fac_doesnotexist"]) {
      const res = await call(`/api/facilities/${id}`, { method: "PATCH", cookie: staffC.cookie, body: { name: "改" } });
      expect(res.status, id).toBe(404);
      expect((await json<ErrorBody>(res)).error.code).toBe("NOT_FOUND");
    }
    expect((await stored(theirs))?.name).toBe("乙公园");
    expect((await stored(streetLevel))?.name).toBe("街道公园");
    expect(await auditsOf(theirs, "facility.update")).toEqual([]);
  });

  it("refuses to move a facility into another community (403)", async () => {
    const id = await createFacility({ kind: "park", name: "甲公园", lat: 39.2, lng: 117.3, communityId: C });
    for (const communityId of [D, null]) {
      const res = await call(`/api/facilities/${id}`, {
        method: "PATCH",
        cookie: staffC.cookie,
        body: { communityId },
      });
      expect(res.status).toBe(403);
    }
    expect((await stored(id))?.communityId).toBe(C);
  });

  it("lets a street admin change any facility", async () => {
    const id = await createFacility({ kind: "park", name: "乙公园", lat: 39.2, lng: 117.3, communityId: D });
    const res = await call(`/api/facilities/${id}`, {
      method: "PATCH",
      cookie: admin.cookie,
      body: { communityId: C },
    });
    expect(res.status).toBe(200);
    expect((await stored(id))?.communityId).toBe(C);
  });

  it("changes only the fields sent: a rename keeps community, address, services, hours and notes", async () => {
    const full = input({
      communityId: D,
      organisationId: await createOrganisation("elderly_centre", D),
      address: "幸福路 2 号",
      phone: "022-2466 0001",
      services: ["助浴"],
      accessibility: { stepFree: true, lift: true, accessibleToilet: false },
      openingHours: { weekly: { tue: [["09:00", "11:00"]] }, exceptions: [] },
      notes: "门口有坡道",
    });
    const created = await json<Facility>(await call("/api/facilities", { cookie: admin.cookie, body: full }));
    const res = await call(`/api/facilities/${created.id}`, {
      method: "PATCH",
      cookie: admin.cookie,
      body: { name: "改名后的服务站" },
    });
    expect(res.status).toBe(200);
    const { updatedAt: _before, ...unchanged } = created;
    const { updatedAt: _after, ...patched } = await json<Facility>(res);
    expect(patched).toEqual({ ...unchanged, name: "改名后的服务站" });
    const [audit] = await auditsOf(created.id, "facility.update");
    expect(audit?.detail).toEqual({ fields: ["name"] });
  });

  it("answers 400 for an empty or invalid change, 403 to residents and 401 signed out", async () => {
    const id = await createFacility({ kind: "park", name: "甲公园", lat: 39.2, lng: 117.3, communityId: C });
    for (const body of [{}, { lat: 40.5 }, { kind: "zoo" }, { id: "fac_other" }]) {
      const res = await call(`/api/facilities/${id}`, { method: "PATCH", cookie: staffC.cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const change = { method: "PATCH", body: { name: "改" } };
    expect((await call(`/api/facilities/${id}`, { ...change, cookie: resident.cookie })).status).toBe(403);
    expect((await call(`/api/facilities/${id}`, change)).status).toBe(401);
    expect((await stored(id))?.name).toBe("甲公园");
  });
});

describe("DELETE /api/facilities/{id}", () => {
  it("lets community staff remove their community's facility, audited", async () => {
    const id = await createFacility({ kind: "park", name: "将关闭的公园", lat: 39.2, lng: 117.3, communityId: C });
    const res = await call(`/api/facilities/${id}`, { method: "DELETE", cookie: staffC.cookie });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ deleted: true });
    expect((await call(`/api/facilities/${id}`)).status).toBe(404);
    const [audit] = await auditsOf(id, "facility.delete");
    expect(audit).toMatchObject({ actorAccountId: staffC.id, detail: { name: "将关闭的公园" } });
  });

  it("answers 409, not a 500, while a service is offered there, and deletes nothing", async () => {
    const id = await createFacility({
      kind: "elderly_day_care",
      name: "日照中心",
      lat: 39.2,
      lng: 117.3,
      communityId: C,
    });
    const { organisationId, staff } = await createOrgStaff("day_care_centre", C);
    await createOffering(staff, organisationId, { facilityId: id });
    const res = await call(`/api/facilities/${id}`, { method: "DELETE", cookie: staffC.cookie });
    expect(res.status).toBe(409);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("CONFLICT");
    expect((await stored(id))?.name).toBe("日照中心");
    expect(await auditsOf(id, "facility.delete")).toEqual([]);
  });

  it("answers 404 for another community's facility and keeps it; 403 residents; 401 signed out", async () => {
    const theirs = await createFacility({ kind: "park", lat: 39.2, lng: 117.3, communityId: D });
    expect((await call(`/api/facilities/${theirs}`, { method: "DELETE", cookie: staffC.cookie })).status).toBe(404);
    expect((await call(`/api/facilities/${theirs}`, { method: "DELETE", cookie: resident.cookie })).status).toBe(403);
    expect((await call(`/api/facilities/${theirs}`, { method: "DELETE" })).status).toBe(401);
    expect(await stored(theirs)).toBeDefined();
    expect((await call("/api/facilities/fac_doesnotexist", { method: "DELETE", cookie: admin.cookie })).status).toBe(
      404,
    );
    // A street admin may.
    expect((await call(`/api/facilities/${theirs}`, { method: "DELETE", cookie: admin.cookie })).status).toBe(200);
    expect(await stored(theirs)).toBeUndefined();
  });
});

describe("GET /api/facilities", () => {
  it("filters by community, kind and name, and counts the total", async () => {
    const community = await createCommunity();
    const a = await createFacility({
      kind: "pharmacy",
      name: "百姓大药房",
      lat: 39.2,
      lng: 117.3,
      communityId: community,
    });
    const b = await createFacility({
      kind: "pharmacy",
      name: "50%折扣药店",
      lat: 39.2,
      lng: 117.3,
      communityId: community,
    });
    const c = await createFacility({ kind: "park", name: "百姓公园", lat: 39.2, lng: 117.3, communityId: community });
    const list = async (query: string) => {
      const res = await call(`/api/facilities?${query}`);
      expect(res.status, query).toBe(200);
      const body = await json<{ facilities: Facility[]; total: number }>(res);
      return { ids: body.facilities.map((f) => f.id), total: body.total };
    };
    expect(await list(`communityId=${community}`)).toEqual({ ids: [c, b, a], total: 3 });
    expect(await list(`communityId=${community}&kind=pharmacy`)).toEqual({ ids: [b, a], total: 2 });
    expect(await list(`communityId=${community}&q=${encodeURIComponent("百姓")}`)).toEqual({ ids: [c, a], total: 2 });
    // % is a character to find, not a wildcard.
    expect(await list(`communityId=${community}&q=${encodeURIComponent("%")}`)).toEqual({ ids: [b], total: 1 });
    for (const query of ["kind=zoo", "page=0", "sort=name"])
      expect((await call(`/api/facilities?${query}`)).status).toBe(400);
    expect((await call("/api/facilities/fac_doesnotexist")).status).toBe(404);
  });
});
