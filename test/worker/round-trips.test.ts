import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { DAY } from "../../worker/lib/time";
import {
  createAccount,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  linkProxy,
  type TestAccount,
} from "../factories";

/**
 * The real D1, with every call to it counted: a batch, or a statement's first/all/run/raw.
 * (Nothing is faked: each call goes to the database.)
 */
function countingD1(d1: D1Database) {
  const counter = { calls: 0 };
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const counted = Object.create(statement) as D1PreparedStatement & { real: D1PreparedStatement };
    counted.real = statement;
    counted.bind = (...values: unknown[]) => wrap(statement.bind(...values));
    for (const method of ["first", "all", "run", "raw"] as const) {
      (counted as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        counter.calls++;
        return (statement[method] as (...a: unknown[]) => unknown).apply(statement, args);
      };
    }
    return counted;
  };
  const counting = {
    prepare: (query: string) => wrap(d1.prepare(query)),
    batch: (statements: D1PreparedStatement[]) => {
      counter.calls++;
      return d1.batch(statements.map((s) => (s as D1PreparedStatement & { real?: D1PreparedStatement }).real ?? s));
    },
    exec: (query: string) => {
      counter.calls++;
      return d1.exec(query);
    },
    withSession: () => {
      throw new Error("not used");
    },
    dump: () => d1.dump(),
  };
  return { d1: counting as unknown as D1Database, counter };
}

/** Calls the Worker with the counting D1 and says how many D1 calls the request made. */
async function countCalls(path: string, account: TestAccount, body?: unknown) {
  const { d1, counter } = countingD1(env.DB);
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { cookie: account.cookie, "cf-connecting-ip": "10.0.0.1" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await worker.fetch(
    new Request(`https://linli.test${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { ...headers, origin: "https://linli.test" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...env, DB: d1 },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: await res.text(), calls: counter.calls };
}

/**
 * The hot endpoints answer in ONE D1 round trip (bench/results.md): if a change makes the
 * one-trip booking insert stricter than the rules, every booking would still succeed — through
 * the slower path — and only this test would notice.
 */
describe("D1 round trips per request", () => {
  it("a resident's booking (for themself or a parent), my bookings and an offering's slots take one each; a refusal more", async () => {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
    const offering = await createOffering(staff, organisationId, { waitlist: false, minAge: null });
    const startsAt = Date.now() + DAY;
    const slot = await createSlot(staff, offering, { startsAt, capacity: 2 });
    const daughter = await createAccount({ name: "李娜" });
    const mother = await createManagedPerson(community);
    await linkProxy(daughter.id, mother, staff.id);

    const self = await countCalls("/api/bookings", daughter, { slotId: slot, personId: daughter.personId });
    expect(self.status).toBe(201);
    expect(self.calls).toBe(1);
    const proxied = await countCalls("/api/bookings", daughter, { slotId: slot, personId: mother });
    expect(proxied.status).toBe(201);
    expect(proxied.calls).toBe(1);
    expect(JSON.parse(proxied.body)).toMatchObject({ status: "confirmed", person: { id: mother } });

    const mine = await countCalls("/api/bookings/mine", daughter);
    expect(mine.status).toBe(200);
    expect(mine.calls).toBe(1);
    expect((JSON.parse(mine.body) as { bookings: unknown[] }).bookings).toHaveLength(2);

    const slots = await countCalls(`/api/offerings/${offering}/slots`, daughter);
    expect(slots.status).toBe(200);
    expect(slots.calls).toBe(1);

    // Full and no waitlist: the insert writes nothing and the rules are read to say why.
    const other = await createAccount();
    const full = await countCalls("/api/bookings", other, { slotId: slot, personId: other.personId });
    expect(full.status).toBe(409);
    expect(JSON.parse(full.body)).toMatchObject({ error: { code: "SLOT_FULL" } });
    expect(full.calls).toBeGreaterThan(1);
  });
});
