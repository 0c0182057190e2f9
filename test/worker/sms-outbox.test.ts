import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { outbox } from "../../db/schema";
import { notify } from "../../worker/features/notifications/notifications.queries";
import worker from "../../worker/index";
import { newId } from "../../worker/lib/ids";
import {
  deliverOutbox,
  SMS_CLAIM_MS,
  SMS_MAX_ATTEMPTS,
  type SmsMessage,
  type SmsSender,
  smsRetryDelay,
} from "../../worker/lib/sms";
import { DAY, MINUTE } from "../../worker/lib/time";
import { runScheduled } from "../../worker/scheduled";
import {
  book,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  db,
  json,
  randomIp,
  randomPhone,
} from "../factories";

/** A provider that records what it was handed, optionally after a pause, or refuses every message. */
class RecordingSender implements SmsSender {
  readonly provider = "test-provider";
  readonly sent: SmsMessage[] = [];
  constructor(private readonly options: { fail?: string; pauseMs?: number } = {}) {}
  async send(message: SmsMessage) {
    if (this.options.pauseMs) await new Promise((r) => setTimeout(r, this.options.pauseMs));
    if (this.options.fail) throw new Error(this.options.fail);
    this.sent.push(message);
  }
  to(phone: string) {
    return this.sent.filter((m) => m.to === phone);
  }
}

interface OutboxRow {
  id: string;
  recipient: string;
  template: string;
  body: string;
  status: string;
  provider: string | null;
  attempts: number;
  due_at: number | null;
  sent_at: number | null;
  error: string | null;
}

async function messagesTo(phone: string): Promise<OutboxRow[]> {
  const { results } = await env.DB.prepare("SELECT * FROM outbox WHERE recipient = ? ORDER BY created_at, id")
    .bind(phone)
    .all<OutboxRow>();
  return results;
}

/**
 * Queues one message directly, due at `dueAt`. Tests deliver at times years ahead, so the
 * deliveries that requests of other tests start in the background (due now) never reach them.
 */
async function queued(phone: string, dueAt: number, template = "test", expiresAt: number | null = null) {
  const id = newId("msg");
  await db()
    .insert(outbox)
    .values({
      id,
      channel: "sms",
      recipient: phone,
      template,
      body: `【邻里】测试 ${id}`,
      status: "queued",
      createdAt: dueAt,
      attempts: 0,
      dueAt,
      expiresAt,
    });
  return id;
}

const FAR = Date.now() + 3650 * DAY;

/** Calls the Worker with `env` changed, and waits for what it left running after the answer. */
async function callWith(
  overrides: Partial<typeof env>,
  path: string,
  options: { cookie?: string; body?: unknown; method?: string } = {},
) {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = {
    "cf-connecting-ip": randomIp(),
    origin: "http://localhost",
    "content-type": "application/json",
  };
  if (options.cookie) headers.cookie = options.cookie;
  const res = await worker.fetch(
    new Request(`http://localhost${path}`, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("texted notices queue their SMS in the same statement", () => {
  it("queues one message per written notice, none for a repeated dedupe key or an untexted notice", async () => {
    const a = await createAccount();
    const at = Date.now();
    const notice = { kind: "test_kind", title: "标题", body: "正文", dedupeKey: `k:${a.id}`, sms: true };
    await Promise.all([notify(db(), [a.id], notice, at), notify(db(), [a.id], notice, at)]);
    await notify(db(), [a.id], { kind: "quiet", title: "标题", body: "不发短信" }, at);
    const rows = await messagesTo(a.phone);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ template: "test_kind", body: "【邻里】正文", attempts: 0 });
    expect(["queued", "sending", "sent"]).toContain(rows[0]?.status);
  });
});

describe("deliverOutbox()", () => {
  it("sends what is due once, records the provider, and leaves what is not due yet", async () => {
    const phone = randomPhone();
    const due = await queued(phone, FAR);
    const later = await queued(phone, FAR + MINUTE);
    const sender = new RecordingSender();
    const report = await deliverOutbox(db(), sender, FAR);
    expect(report.sent).toBeGreaterThanOrEqual(1);
    expect(sender.to(phone).map((m) => m.body)).toEqual([`【邻里】测试 ${due}`]);
    const rows = await messagesTo(phone);
    expect(rows.find((r) => r.id === due)).toMatchObject({
      status: "sent",
      provider: "test-provider",
      sent_at: FAR,
      attempts: 1,
      due_at: null,
    });
    expect(rows.find((r) => r.id === later)).toMatchObject({ status: "queued", attempts: 0 });
    // A second run sends nothing again.
    await deliverOutbox(db(), sender, FAR);
    expect(sender.to(phone)).toHaveLength(1);
  });

  it("sends each message exactly once when runs overlap", async () => {
    const phone = randomPhone();
    const ids = await Promise.all(Array.from({ length: 60 }, () => queued(phone, FAR + 1)));
    const sender = new RecordingSender({ pauseMs: 5 });
    await Promise.all(Array.from({ length: 4 }, () => deliverOutbox(db(), sender, FAR + 1)));
    const bodies = sender.to(phone).map((m) => m.body);
    expect(bodies).toHaveLength(60);
    expect(new Set(bodies).size).toBe(60);
    expect((await messagesTo(phone)).map((r) => r.status)).toEqual(ids.map(() => "sent"));
  });

  it("retries a refused message later with the reason, and gives up after the last attempt", async () => {
    const phone = randomPhone();
    const id = await queued(phone, FAR + 2);
    const down = new RecordingSender({ fail: "provider unreachable" });
    let at = FAR + 2;
    for (let attempt = 1; attempt < SMS_MAX_ATTEMPTS; attempt++) {
      await deliverOutbox(db(), down, at);
      const [row] = await messagesTo(phone);
      expect(row).toMatchObject({ id, status: "queued", attempts: attempt, error: "provider unreachable" });
      expect(row?.due_at).toBe(at + smsRetryDelay(attempt));
      // Not tried again before it is due.
      await deliverOutbox(db(), down, at + smsRetryDelay(attempt) - 1);
      expect((await messagesTo(phone))[0]?.attempts).toBe(attempt);
      at += smsRetryDelay(attempt);
    }
    const report = await deliverOutbox(db(), down, at);
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect((await messagesTo(phone))[0]).toMatchObject({
      status: "failed",
      attempts: SMS_MAX_ATTEMPTS,
      due_at: null,
      error: "provider unreachable",
    });
    // A failed message stays failed.
    const up = new RecordingSender();
    await deliverOutbox(db(), up, at + DAY);
    expect(up.to(phone)).toHaveLength(0);
  });

  it("sends again a message whose sender vanished once its claim lapses, not before", async () => {
    const phone = randomPhone();
    const id = await queued(phone, FAR + 3);
    // A run that claimed it and died: status sending, due again when the claim lapses.
    await env.DB.prepare("UPDATE outbox SET status = 'sending', attempts = 1, due_at = ? WHERE id = ?")
      .bind(FAR + 3 + SMS_CLAIM_MS, id)
      .run();
    const sender = new RecordingSender();
    await deliverOutbox(db(), sender, FAR + 3 + SMS_CLAIM_MS - 1);
    expect(sender.to(phone)).toHaveLength(0);
    await deliverOutbox(db(), sender, FAR + 3 + SMS_CLAIM_MS);
    expect(sender.to(phone)).toHaveLength(1);
    expect((await messagesTo(phone))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("deliverOutbox() when things go wrong", () => {
  it("records nothing for a run whose claim lapsed and was taken over: the other run's outcome stands", async () => {
    const phone = randomPhone();
    const id = await queued(phone, FAR + 10);
    // Run A claims the message and hangs in the provider…
    let release: (error?: Error) => void = () => {};
    const hanging: SmsSender = {
      provider: "slow",
      send: () =>
        new Promise<void>((resolve, reject) => {
          release = (error) => (error ? reject(error) : resolve());
        }),
    };
    const runA = deliverOutbox(db(), hanging, FAR + 10);
    await expect.poll(async () => (await messagesTo(phone))[0]?.status).toBe("sending");
    // …its claim lapses, run B claims it again and sends it…
    const sender = new RecordingSender();
    await deliverOutbox(db(), sender, FAR + 10 + SMS_CLAIM_MS);
    expect(sender.to(phone)).toHaveLength(1);
    // …and A's late answer (a failure) changes nothing.
    release(new Error("timed out"));
    await runA;
    expect((await messagesTo(phone))[0]).toMatchObject({ id, status: "sent", provider: "test-provider", attempts: 2 });
  });

  it("counts each claim from the moment it is made, not from the run's start", async () => {
    const phone = randomPhone();
    const past = Date.now() - DAY;
    await queued(phone, past);
    // A run standing for a moment a day ago (a late cron), its provider slow to answer.
    let release: () => void = () => {};
    const slow: SmsSender = { provider: "slow", send: () => new Promise<void>((resolve) => (release = resolve)) };
    const run = deliverOutbox(db(), slow, past);
    await expect.poll(async () => (await messagesTo(phone))[0]?.status).toBe("sending");
    const [row] = await messagesTo(phone);
    expect(row?.due_at).toBeGreaterThanOrEqual(Date.now() + SMS_CLAIM_MS - MINUTE);
    release();
    await run;
    expect((await messagesTo(phone))[0]).toMatchObject({ status: "sent", provider: "slow" });
  });

  it("sends sign-in codes first, then texts with a deadline, and gives up on one once expired", async () => {
    const phone = randomPhone();
    // More reminders (each with a deadline: the service's start) due earlier than one round
    // claims, then a code due later.
    await Promise.all(Array.from({ length: 30 }, () => queued(phone, FAR + 20, "reminder", FAR + DAY)));
    const code = await queued(phone, FAR + 21, "otp", FAR + 20 + 5 * MINUTE);
    const proxyText = await queued(phone, FAR + 19, "proxy_linked");
    const late = await queued(phone, FAR + 22, "otp", FAR + 22);
    const sender = new RecordingSender();
    const report = await deliverOutbox(db(), sender, FAR + 22, 1);
    expect(sender.to(phone)[0]?.template).toBe("otp");
    expect(sender.to(phone).length).toBeLessThan(31);
    expect(report.failed).toBeGreaterThanOrEqual(1);
    const rows = await messagesTo(phone);
    expect(rows.find((r) => r.id === code)).toMatchObject({ status: "sent" });
    expect(rows.find((r) => r.id === late)).toMatchObject({
      status: "failed",
      attempts: 0,
      error: "expired before it could be sent",
    });
    // The rest follow in the next run; the one without a deadline, due first, went last.
    await deliverOutbox(db(), sender, FAR + 22);
    expect(sender.to(phone).filter((m) => m.template === "reminder")).toHaveLength(30);
    expect(sender.to(phone).at(-1)?.template).toBe("proxy_linked");
    expect(rows.find((r) => r.id === proxyText)?.status).toBe("queued");
  });

  it("gives up on a message claimed the most times by runs that never reported", async () => {
    const phone = randomPhone();
    const id = await queued(phone, FAR + 30);
    await env.DB.prepare("UPDATE outbox SET status = 'sending', attempts = ? WHERE id = ?")
      .bind(SMS_MAX_ATTEMPTS, id)
      .run();
    const sender = new RecordingSender();
    await deliverOutbox(db(), sender, FAR + 30);
    expect(sender.to(phone)).toHaveLength(0);
    expect((await messagesTo(phone))[0]).toMatchObject({
      status: "failed",
      error: `claimed ${SMS_MAX_ATTEMPTS} times, never reported`,
    });
  });
});

describe("a failing SMS provider does not fail the request", () => {
  const broken = { SMS_PROVIDER: "no-such-provider" };

  async function slotWithBooking() {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
    const offeringId = await createOffering(staff, organisationId, { minAge: null });
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + DAY, capacity: 3 });
    const resident = await createAccount();
    const res = await book(resident, { slotId, personId: resident.personId });
    expect(res.status).toBe(201);
    return { staff, slotId, resident };
  }

  it("a staff cancel of a slot answers 200, tells the inbox, and its texts wait in the queue for the cron", async () => {
    const { staff, slotId, resident } = await slotWithBooking();
    const res = await callWith(broken, `/api/slots/${slotId}/cancel`, {
      cookie: staff.cookie,
      body: { reason: "停水" },
    });
    expect(res.status).toBe(200);
    // Tried once after the answer, refused, and queued again with the reason.
    const [message] = await messagesTo(resident.phone);
    expect(message).toMatchObject({
      template: "slot_cancelled",
      status: "queued",
      provider: null,
      attempts: 1,
      error: 'Unknown SMS_PROVIDER "no-such-provider"',
    });
    const inbox = await json<{ notifications: Array<{ kind: string }> }>(
      await callWith({}, "/api/notifications", { cookie: resident.cookie }),
    );
    expect(inbox.notifications.map((n) => n.kind)).toContain("slot_cancelled");
    // The cron, with the provider configured again, sends it once it is due.
    await runScheduled({ ...env, SMS_PROVIDER: "outbox" }, (message?.due_at ?? 0) + 1);
    expect((await messagesTo(resident.phone))[0]).toMatchObject({ status: "sent", provider: "outbox" });
  });

  it("a sign-in code is stored and queued (200), and a proxy link is made once (201, then 409 — not 500)", async () => {
    const phone = randomPhone();
    const code = await callWith(broken, "/api/auth/otp", { body: { phone } });
    expect(code.status).toBe(200);
    expect((await messagesTo(phone)).map((m) => [m.template, m.status, m.attempts])).toEqual([["otp", "queued", 1]]);

    const community = await createCommunity();
    const staff = await createCommunityStaff(community);
    const personId = await createManagedPerson(community);
    const proxyPhone = randomPhone();
    const link = { proxyPhone, relationship: "child", consentMethod: "in_person" };
    const first = await callWith(broken, `/api/persons/${personId}/proxy-links`, { cookie: staff.cookie, body: link });
    expect(first.status).toBe(201);
    const again = await callWith(broken, `/api/persons/${personId}/proxy-links`, { cookie: staff.cookie, body: link });
    expect(again.status).toBe(409);
    expect((await messagesTo(proxyPhone)).map((m) => [m.template, m.status, m.attempts])).toEqual([
      ["proxy_linked", "queued", 1],
    ]);
  });
});

describe("with the configured provider, a request's texts are sent right after the answer", () => {
  it("a sign-in code is sent (status sent) once the request's work after the answer is done", async () => {
    const phone = randomPhone();
    const res = await callWith({}, "/api/auth/otp", { body: { phone } });
    expect(res.status).toBe(200);
    expect(await messagesTo(phone)).toEqual([
      expect.objectContaining({ template: "otp", status: "sent", provider: "outbox", attempts: 1 }),
    ]);
  });
});
