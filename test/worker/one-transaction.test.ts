import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { DAY, HOUR } from "../../worker/lib/time";
import {
  book,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  grantRole,
  inboxOf,
  json,
  randomIp,
  randomPhone,
  type TestAccount,
} from "../factories";

/**
 * The real D1, with the statements of every call that writes recorded — except the delivery of
 * text messages (statements on `outbox` alone), which runs after the answer by design.
 */
function recordingD1(d1: D1Database) {
  const writes: string[][] = [];
  const isWrite = (q: string) => /^\s*(insert|update|delete)\b/i.test(q);
  const record = (queries: string[]) => {
    const w = queries.filter(isWrite);
    if (w.length > 0 && !w.every((q) => /^\s*\w+\s+(into\s+)?"outbox"/i.test(q))) writes.push(queries);
  };
  const wrap = (statement: D1PreparedStatement, query: string): D1PreparedStatement => {
    const recorded = Object.create(statement) as D1PreparedStatement & { real: D1PreparedStatement; query: string };
    recorded.real = statement;
    recorded.query = query;
    recorded.bind = (...values: unknown[]) => wrap(statement.bind(...values), query);
    for (const method of ["first", "all", "run", "raw"] as const) {
      (recorded as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        record([query]);
        return (statement[method] as (...a: unknown[]) => unknown).apply(statement, args);
      };
    }
    return recorded;
  };
  type Recorded = D1PreparedStatement & { real?: D1PreparedStatement; query?: string };
  const recording = {
    prepare: (query: string) => wrap(d1.prepare(query), query),
    batch: (statements: Recorded[]) => {
      record(statements.map((s) => s.query ?? ""));
      return d1.batch(statements.map((s) => s.real ?? s));
    },
    exec: (query: string) => {
      record([query]);
      return d1.exec(query);
    },
    withSession: () => {
      throw new Error("not used");
    },
    dump: () => d1.dump(),
  };
  return { d1: recording as unknown as D1Database, writes };
}

/** Calls the Worker on the recording D1; answers its status and the write calls it made. */
async function writesOf(method: string, path: string, who: TestAccount | null, body?: unknown) {
  const { d1, writes } = recordingD1(env.DB);
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { "cf-connecting-ip": randomIp(), origin: "http://localhost" };
  if (who) headers.cookie = who.cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await worker.fetch(
    new Request(`http://localhost${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...env, DB: d1 },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: await res.text(), writes };
}

async function smsTo(phone: string) {
  const { results } = await env.DB.prepare("SELECT template FROM outbox WHERE recipient = ?")
    .bind(phone)
    .all<{ template: string }>();
  return results.map((r) => r.template);
}

/**
 * A change and everything it writes besides — the waitlist's promotion, the audit record, the
 * inbox notices and their text messages — go to D1 in ONE call (a batch is one transaction), so a
 * failure can never leave the change made and its people untold, nor told of a change not made.
 */
describe("a change and what it tells are written in one transaction", () => {
  async function setting(capacity: number, fields: Record<string, unknown> = {}) {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
    const offeringId = await createOffering(staff, organisationId, { minAge: null, ...fields });
    const startsAt = Date.now() + 2 * DAY;
    const slot = await json<{ id: string }>(
      await worker.fetch(
        new Request(`http://localhost/api/offerings/${offeringId}/slots`, {
          method: "POST",
          headers: { cookie: staff.cookie, "content-type": "application/json", origin: "http://localhost" },
          body: JSON.stringify({ startsAt, endsAt: startsAt + HOUR, capacity }),
        }),
        env,
        createExecutionContext(),
      ),
    );
    return { community, organisationId, staff, slotId: slot.id, startsAt };
  }

  it("staff cancelling a booking: the cancel, the promotion, the audit and both notices with their texts", async () => {
    const { staff, slotId } = await setting(1);
    const [first, waiting] = [await createAccount(), await createAccount()];
    const booked = await json<{ id: string }>(await book(first, { slotId, personId: first.personId }));
    expect((await json<{ status: string }>(await book(waiting, { slotId, personId: waiting.personId }))).status).toBe(
      "waitlisted",
    );
    const res = await writesOf("POST", `/api/bookings/${booked.id}/cancel`, staff, {});
    expect(res.status).toBe(200);
    expect(res.writes).toHaveLength(1);
    expect((await inboxOf(first)).map((n) => n.kind)).toContain("booking_cancelled_by_staff");
    expect((await inboxOf(waiting)).map((n) => n.kind)).toContain("waitlist_promoted");
    expect(await smsTo(first.phone)).toContain("booking_cancelled_by_staff");
    expect(await smsTo(waiting.phone)).toContain("waitlist_promoted");
    // Cancelled already: refused, and nothing more is recorded or told.
    const again = await writesOf("POST", `/api/bookings/${booked.id}/cancel`, staff, {});
    expect(again.status).toBe(409);
    const { results: audits } = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE subject_id = ? AND action = 'booking.cancel_for'",
    )
      .bind(booked.id)
      .all();
    expect(audits).toHaveLength(1);
    expect(await smsTo(first.phone)).toEqual(["booking_cancelled_by_staff"]);
  });

  it("a resident cancelling: the cancel, the promotion and the promoted person's notice", async () => {
    const { slotId } = await setting(1);
    const [first, waiting] = [await createAccount(), await createAccount()];
    const booked = await json<{ id: string }>(await book(first, { slotId, personId: first.personId }));
    await book(waiting, { slotId, personId: waiting.personId });
    const res = await writesOf("POST", `/api/bookings/${booked.id}/cancel`, first, {});
    expect(res.status).toBe(200);
    expect(res.writes).toHaveLength(1);
    expect((await inboxOf(waiting)).map((n) => n.kind)).toContain("waitlist_promoted");
    expect((await inboxOf(first)).map((n) => n.kind)).not.toContain("booking_cancelled_by_staff");
  });

  it("staff cancelling a slot, moving one, confirming and assigning a booking", async () => {
    const { staff, slotId, organisationId, startsAt, community } = await setting(3, { requiresConfirmation: true });
    const resident = await createAccount();
    const booked = await json<{ id: string; status: string }>(
      await book(resident, { slotId, personId: resident.personId }),
    );
    expect(booked.status).toBe("pending");

    const confirmed = await writesOf("POST", `/api/bookings/${booked.id}/confirm`, staff);
    expect(confirmed.status).toBe(200);
    expect(confirmed.writes).toHaveLength(1);
    expect(await smsTo(resident.phone)).toEqual(["booking_confirmed"]);

    const colleague = await createAccount({ name: "护理员丙" });
    await grantRole(colleague.id, "org_staff", { organisationId });
    const assigned = await writesOf("POST", `/api/bookings/${booked.id}/assign`, staff, { accountId: colleague.id });
    expect(assigned.status).toBe(200);
    expect(assigned.writes).toHaveLength(1);
    expect((await inboxOf(colleague)).map((n) => n.kind)).toEqual(["booking_assigned"]);

    const moved = await writesOf("PATCH", `/api/slots/${slotId}`, staff, {
      startsAt: startsAt + HOUR,
      endsAt: startsAt + 2 * HOUR,
    });
    expect(moved.status).toBe(200);
    expect(moved.writes).toHaveLength(1);
    expect(await smsTo(resident.phone)).toEqual(["booking_confirmed", "slot_changed"]);

    // A caller staff booked by phone, who has no account: told by text at her own mobile number.
    const caller = await createManagedPerson(community, "邹阿婆");
    const callerPhone = (
      await env.DB.prepare("SELECT phone FROM persons WHERE id = ?").bind(caller).first<{ phone: string }>()
    )?.phone;
    const phoned = await writesOf("POST", "/api/bookings", staff, { slotId, personId: caller, channel: "phone" });
    expect(phoned.status).toBe(201);

    const cancelled = await writesOf("POST", `/api/slots/${slotId}/cancel`, staff, { reason: "停电" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.writes).toHaveLength(1);
    expect(await smsTo(resident.phone)).toEqual(["booking_confirmed", "slot_changed", "slot_cancelled"]);
    expect(await smsTo(callerPhone ?? "")).toEqual(["slot_cancelled"]);
    // A refused change writes nothing else: the slot is cancelled already.
    const again = await writesOf("POST", `/api/slots/${slotId}/cancel`, staff, { reason: "停电" });
    expect(again.status).toBe(409);
    expect(await smsTo(resident.phone)).toHaveLength(3);
  });

  it("a proxy link made at the office, a resident's proxy request, a sign-in code", async () => {
    const community = await createCommunity();
    const staff = await createCommunityStaff(community);
    const mother = await createAccount({ name: "孙秀兰" });
    await env.DB.prepare("UPDATE persons SET community_id = ? WHERE id = ?").bind(community, mother.personId).run();
    const daughterPhone = randomPhone();
    const linked = await writesOf("POST", `/api/persons/${mother.personId}/proxy-links`, staff, {
      proxyPhone: daughterPhone,
      relationship: "child",
      consentMethod: "in_person",
    });
    expect(linked.status).toBe(201);
    // The daughter's account is made first if she has none (a write of its own, before the link).
    expect(linked.writes.length).toBeLessThanOrEqual(2);
    const linkWrite = linked.writes.at(-1)?.join("\n") ?? "";
    for (const table of ["proxy_links", "audit_log", "notifications", "outbox"])
      expect(linkWrite).toContain(`"${table}"`);
    expect(await smsTo(daughterPhone)).toEqual(["proxy_linked"]);
    expect(await smsTo(mother.phone)).toEqual(["proxy_linked_for_you"]);

    const son = await createAccount();
    const asked = await writesOf("POST", "/api/proxy-requests", son, { phone: mother.phone, relationship: "child" });
    expect(asked.status).toBe(201);
    const askWrite = asked.writes.at(-1)?.join("\n") ?? "";
    for (const table of ["proxy_links", "outbox"]) expect(askWrite).toContain(`"${table}"`);
    expect(await smsTo(mother.phone)).toEqual(["proxy_linked_for_you", "proxy_request"]);

    const phone = randomPhone();
    const code = await writesOf("POST", "/api/auth/otp", null, { phone });
    expect(code.status).toBe(200);
    // The rate limit's counter, then the code with its text.
    const codeWrite = code.writes.at(-1)?.join("\n") ?? "";
    for (const table of ["otp_codes", "outbox"]) expect(codeWrite).toContain(`"${table}"`);
    expect(await smsTo(phone)).toEqual(["otp"]);
  });
});
