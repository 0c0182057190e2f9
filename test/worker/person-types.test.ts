import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, persons } from "../../db/schema";
import { demoCare } from "../../db/seed/care";
import { PERSONS } from "../../db/seed/demo";
import type { OfferingRow, SlotRow } from "../../worker/features/bookings/bookings.queries";
import { ineligibility } from "../../worker/features/bookings/bookings.rules";
import { PERSON_TYPES } from "../../worker/features/persons/person-types";
import { DAY } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createCompound,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  db,
  grantRole,
  json,
  linkProxy,
  randomPhone,
  setPersonTypes,
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type PersonBody = {
  id: string;
  name: string;
  birthDate: string;
  gender: string;
  compoundId: string | null;
  address: string | null;
  phoneMasked: string | null;
  types: string[];
};

let community: string;
let gridWorker: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  gridWorker = await createCommunityStaff(community, "grid_worker");
});

function patch(actor: TestAccount | null, personId: string, body: unknown) {
  return call(`/api/persons/${personId}`, { method: "PATCH", cookie: actor?.cookie, body });
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await json<ErrorBody>(res);
  expect(body.error.code).toBe(code);
  return body.error.message;
}

async function auditsOf(personId: string) {
  return db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectId, personId), eq(auditLog.action, "person.update")));
}

describe("the person-type catalogue", () => {
  it("is public, with Chinese and English labels", async () => {
    const res = await call("/api/person-types");
    expect(res.status).toBe(200);
    const { types } = await json<{ types: Array<{ code: string; zh: string; en: string }> }>(res);
    expect(types.map((t) => t.code)).toEqual(PERSON_TYPES.map((t) => t.code));
    expect(types).toContainEqual({ code: "living_alone", zh: "独居老人", en: "Older person living alone" });
    for (const t of types) expect(t.zh && t.en).toBeTruthy();
  });
});

describe("staff correct a person's details: PATCH /api/persons/{id}", () => {
  it("a grid worker changes every field; the answer and the row agree; the audit names the fields, not the phone", async () => {
    const elder = await createManagedPerson(community, "张桂兰");
    const compound = await createCompound(community);
    const phone = randomPhone();
    const res = await patch(gridWorker, elder, {
      name: "张桂兰",
      birthDate: "1940-01-09",
      gender: "female",
      compoundId: compound,
      address: "德翔里一区5号楼2门301",
      phone,
      notes: "独居，女儿每周来两次",
      types: ["living_alone", "disabled_elderly"],
    });
    expect(res.status).toBe(200);
    const body = await json<PersonBody>(res);
    expect(body).toMatchObject({
      id: elder,
      birthDate: "1940-01-09",
      gender: "female",
      compoundId: compound,
      address: "德翔里一区5号楼2门301",
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}`,
      types: ["living_alone", "disabled_elderly"],
    });
    const [row] = await db().select().from(persons).where(eq(persons.id, elder));
    expect(row).toMatchObject({ phone, notes: "独居，女儿每周来两次", types: ["living_alone", "disabled_elderly"] });

    const [audit, ...more] = await auditsOf(elder);
    expect(more).toEqual([]);
    expect(audit).toMatchObject({ actorAccountId: gridWorker.id, personId: elder });
    // The name was unchanged, so it is not listed.
    expect(audit?.detail).toEqual({
      fields: ["birthDate", "gender", "compoundId", "address", "phone", "notes", "types"],
    });
    expect(JSON.stringify(audit)).not.toContain(phone.slice(3));
  });

  it("clears optional fields with null, and writes nothing (no audit) when nothing changes", async () => {
    const elder = await createManagedPerson(community);
    const res = await patch(gridWorker, elder, { phone: null, address: null, notes: null });
    expect(res.status).toBe(200);
    expect((await json<PersonBody>(res)).phoneMasked).toBeNull();
    expect((await auditsOf(elder)).length).toBe(1);

    const same = await patch(gridWorker, elder, { phone: null, birthDate: "1941-03-02" });
    expect(same.status).toBe(200);
    expect((await auditsOf(elder)).length).toBe(1);
  });

  it("is open to the community's staff and street admins; staff of other communities and organisations get 404", async () => {
    const elder = await createManagedPerson(community);
    const communityStaff = await createCommunityStaff(community);
    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    expect((await patch(communityStaff, elder, { types: ["empty_nest"] })).status).toBe(200);
    expect((await patch(admin, elder, { types: ["living_alone"] })).status).toBe(200);

    const otherCommunity = await createCommunityStaff(await createCommunity());
    const otherGridWorker = await createCommunityStaff(await createCommunity(), "grid_worker");
    const { staff: orgStaff } = await createOrgStaff("elderly_centre", community);
    for (const outsider of [otherCommunity, otherGridWorker, orgStaff]) {
      await expectError(await patch(outsider, elder, { types: ["low_income"] }), 404, "NOT_FOUND");
    }
    await expectError(await patch(gridWorker, "per_doesnotexist", { name: "某" }), 404, "NOT_FOUND");
    const [row] = await db().select({ types: persons.types }).from(persons).where(eq(persons.id, elder));
    expect(row?.types).toEqual(["living_alone"]);
  });

  it("residents cannot set types — not their own, not as a proxy; signed out is 401", async () => {
    const resident = await createAccount();
    await expectError(await patch(resident, resident.personId, { types: ["low_income"] }), 403, "FORBIDDEN");
    const elder = await createManagedPerson(community);
    const daughter = await createAccount();
    await linkProxy(daughter.id, elder, gridWorker.id);
    await expectError(await patch(daughter, elder, { types: ["living_alone"] }), 403, "FORBIDDEN");
    await expectError(await patch(null, elder, { types: ["living_alone"] }), 401, "UNAUTHENTICATED");
    const [row] = await db().select({ types: persons.types }).from(persons).where(eq(persons.id, elder));
    expect(row?.types).toEqual([]);
  });

  it.each([
    [{}, "nothing to change"],
    [{ types: ["vip"] }, "unknown type"],
    [{ types: ["living_alone", "living_alone"] }, "a type twice"],
    [{ types: "living_alone" }, "not a list"],
    [{ name: "" }, "empty name"],
    [{ birthDate: "1941-02-30" }, "impossible date"],
    [{ gender: "other" }, "unknown gender"],
    [{ phone: "12345" }, "bad phone"],
    [{ communityId: "com_x" }, "community cannot change"],
    [{ idNumber: "11010519491231002X" }, "ID number cannot change here"],
  ] as Array<[Record<string, unknown>, string]>)("refuses %o (%s) with 400", async (body) => {
    const elder = await createManagedPerson(community);
    await expectError(await patch(gridWorker, elder, body), 400, "VALIDATION_FAILED");
  });

  it("refuses a compound of another community", async () => {
    const elder = await createManagedPerson(community);
    const elsewhere = await createCompound(await createCommunity());
    await expectError(await patch(gridWorker, elder, { compoundId: elsewhere }), 404, "NOT_FOUND");
  });

  it("leaves the phone of a person with an account to that person", async () => {
    const resident = await createAccount();
    await db().update(persons).set({ communityId: community }).where(eq(persons.id, resident.personId));
    await expectError(await patch(gridWorker, resident.personId, { phone: randomPhone() }), 409, "CONFLICT");
    const res = await patch(gridWorker, resident.personId, { phone: resident.phone, types: ["veteran_family"] });
    expect(res.status).toBe(200);
    expect((await json<PersonBody>(res)).types).toEqual(["veteran_family"]);
  });
});

describe("registering a person with types", () => {
  it("community staff may record types at once; organisation staff registering a walk-in may not", async () => {
    const body = { name: "刘德福", birthDate: "1938-10-02", communityId: community, types: ["living_alone"] };
    const res = await call("/api/persons", { cookie: gridWorker.cookie, body });
    expect(res.status).toBe(201);
    expect((await json<PersonBody>(res)).types).toEqual(["living_alone"]);

    const { staff: orgStaff } = await createOrgStaff();
    await expectError(await call("/api/persons", { cookie: orgStaff.cookie, body }), 403, "FORBIDDEN");
    const plain = await call("/api/persons", { cookie: orgStaff.cookie, body: { ...body, types: undefined } });
    expect(plain.status).toBe(201);
    expect((await json<PersonBody>(plain)).types).toEqual([]);
  });
});

describe("offerings limited to person types", () => {
  let organisationId: string;
  let orgStaff: TestAccount;

  beforeEach(async () => {
    ({ organisationId, staff: orgStaff } = await createOrgStaff("elderly_centre", community));
  });

  async function limitedSlot(personTypes: string[] | null) {
    const offeringId = await createOffering(orgStaff, organisationId, { title: "上门照护服务", personTypes });
    return createSlot(orgStaff, offeringId, { startsAt: Date.now() + 2 * DAY, capacity: 5 });
  }

  it("refuses people without one of the types, naming them; books once community staff record one", async () => {
    const slotId = await limitedSlot(["living_alone", "disabled_elderly"]);
    const resident = await createAccount();
    await db().update(persons).set({ communityId: community }).where(eq(persons.id, resident.personId));

    const message = await expectError(
      await book(resident, { slotId, personId: resident.personId }),
      403,
      "NOT_ELIGIBLE",
    );
    expect(message).toContain("独居老人 (living_alone)");
    expect(message).toContain("失能/半失能老人 (disabled_elderly)");

    await setPersonTypes(resident.personId, ["low_income"]);
    await expectError(await book(resident, { slotId, personId: resident.personId }), 403, "NOT_ELIGIBLE");

    expect((await patch(gridWorker, resident.personId, { types: ["low_income", "disabled_elderly"] })).status).toBe(
      200,
    );
    expect((await book(resident, { slotId, personId: resident.personId })).status).toBe(201);
  });

  it("applies to staff booking a walk-in too", async () => {
    const slotId = await limitedSlot(["living_alone"]);
    const elder = await createManagedPerson(community);
    const walkIn = { slotId, personId: elder, channel: "walk_in" };
    const message = await expectError(await book(orgStaff, walkIn), 403, "NOT_ELIGIBLE");
    // Staff learn nothing of the person's registered facts from the refusal, and it is audited.
    expect(message).not.toMatch(/living_alone|独居/);
    const audits = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.personId, elder), eq(auditLog.action, "booking.create_for_refused")));
    expect(audits).toHaveLength(1);
    await setPersonTypes(elder, ["living_alone"]);
    expect((await book(orgStaff, walkIn)).status).toBe(201);
  });

  it("an empty or absent list is for everyone", async () => {
    for (const personTypes of [[], null]) {
      const slotId = await limitedSlot(personTypes);
      const resident = await createAccount();
      expect((await book(resident, { slotId, personId: resident.personId })).status).toBe(201);
    }
  });

  it("shows the types on the offering and refuses unknown or repeated ones", async () => {
    const offeringId = await createOffering(orgStaff, organisationId, { personTypes: ["empty_nest"] });
    const offering = await json<{ personTypes: string[] | null }>(await call(`/api/offerings/${offeringId}`));
    expect(offering.personTypes).toEqual(["empty_nest"]);
    for (const personTypes of [["elderly"], ["empty_nest", "empty_nest"], "empty_nest"]) {
      const res = await call("/api/offerings", {
        cookie: orgStaff.cookie,
        body: { organisationId, kind: "care", title: "助浴服务", personTypes },
      });
      await expectError(res, 400, "VALIDATION_FAILED");
    }
  });
});

describe("the demo data", () => {
  it("limits the home visits to person types, and every demo booking still passes the rules, whatever the run date", () => {
    for (let day = 0; day < 14; day++) {
      const today = new Date(Date.parse("2026-11-30T00:00:00Z") + day * DAY).toISOString().slice(0, 10);
      const care = demoCare(today);
      const homeVisit = care.offerings.find((o) => o.id === "off_jinzhong_centre_home_visit");
      expect(homeVisit?.personTypes).toEqual(["living_alone", "empty_nest", "disabled_elderly"]);
      for (const booking of care.bookings) {
        const offering = care.offerings.find((o) => o.id === booking.offeringId) as OfferingRow;
        const slot = care.slots.find((s) => s.id === booking.slotId) as SlotRow;
        const person = PERSONS.find((p) => p.id === booking.personId);
        expect(person, booking.id).toBeDefined();
        const facts = {
          birthDate: person?.birthDate ?? null,
          communityId: person?.communityId ?? null,
          types: person?.types ?? [],
        };
        expect(ineligibility(offering, facts, slot), `${today} ${booking.id}`).toBeNull();
      }
    }
  });
});
