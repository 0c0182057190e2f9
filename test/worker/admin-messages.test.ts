import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../worker/lib/ids";
import { maskPhone } from "../../worker/lib/phone";
import { CLEARED_TEXT, TEXT_KEPT } from "../../worker/lib/sms";
import { DAY, MINUTE } from "../../worker/lib/time";
import { runScheduled } from "../../worker/scheduled";
import { call, createAccount, grantRole, json, randomPhone, type TestAccount } from "../factories";

interface Message {
  id: string;
  template: string;
  recipientMasked: string;
  status: string;
  attempts: number;
  error: string | null;
  expired: boolean;
}
interface Overview {
  failed: Message[];
  waiting: Message[];
  counts: { waiting: number; failed: number; sentLastDay: number };
}

async function insertMessage(fields: {
  phone: string;
  status: "queued" | "failed" | "sent";
  template?: string;
  expiresAt?: number | null;
  createdAt?: number;
}) {
  const id = newId("msg");
  const at = fields.createdAt ?? Date.now();
  await env.DB.prepare(
    `INSERT INTO outbox (id, channel, recipient, template, body, status, created_at, attempts, error, due_at, expires_at, sent_at)
     VALUES (?, 'sms', ?, ?, '【邻里】您的验证码是 123456', ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      fields.phone,
      fields.template ?? "slot_cancelled",
      fields.status,
      at,
      fields.status === "failed" ? 5 : fields.status === "sent" ? 1 : 0,
      fields.status === "failed" ? "provider down" : null,
      // Waiting ones are due far ahead, so the deliveries of other tests leave them waiting.
      fields.status === "queued" ? at + 3650 * DAY : null,
      fields.expiresAt ?? null,
      fields.status === "sent" ? at : null,
    )
    .run();
  return id;
}

async function statusOf(id: string) {
  return (await env.DB.prepare("SELECT status FROM outbox WHERE id = ?").bind(id).first<{ status: string }>())?.status;
}

let admin: TestAccount;
beforeAll(async () => {
  admin = await createAccount({ name: "街道管理员" });
  await grantRole(admin.id, "street_admin");
});

describe("GET /api/admin/messages", () => {
  it("lists failed and waiting messages with the number masked and no body, and counts them", async () => {
    const phone = randomPhone();
    const failed = await insertMessage({ phone, status: "failed" });
    const waiting = await insertMessage({ phone, status: "queued", template: "reminder-24h" });
    await insertMessage({ phone, status: "sent" });
    const res = await call("/api/admin/messages", { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    expect(text).not.toContain(phone);
    expect(text).not.toContain("123456");
    const body = await json<Overview>(res);
    const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
    expect(body.failed.find((m) => m.id === failed)).toEqual(
      expect.objectContaining({
        template: "slot_cancelled",
        recipientMasked: masked,
        status: "failed",
        attempts: 5,
        error: "provider down",
        expired: false,
      }),
    );
    expect(body.waiting.find((m) => m.id === waiting)).toMatchObject({ template: "reminder-24h", status: "queued" });
    expect(body.failed.some((m) => m.status !== "failed")).toBe(false);
    expect(body.counts.failed).toBeGreaterThanOrEqual(1);
    expect(body.counts.waiting).toBeGreaterThanOrEqual(1);
    expect(body.counts.sentLastDay).toBeGreaterThanOrEqual(1);
  });
});

describe("POST /api/admin/messages/:id/retry", () => {
  it("queues a failed message again, sends it right after the answer, and audits it", async () => {
    const id = await insertMessage({ phone: randomPhone(), status: "failed" });
    const res = await call(`/api/admin/messages/${id}/retry`, { method: "POST", cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id, status: "queued", attempts: 0, error: null });
    await expect.poll(() => statusOf(id)).toBe("sent");
    const audit = await env.DB.prepare(
      "SELECT actor_account_id AS actor FROM audit_log WHERE action = 'outbox.retry' AND subject_id = ?",
    )
      .bind(id)
      .all<{ actor: string }>();
    expect(audit.results).toEqual([{ actor: admin.id }]);
  });

  it("refuses an expired sign-in code, a message not failed, an unknown id and a malformed one", async () => {
    const expired = await insertMessage({
      phone: randomPhone(),
      status: "failed",
      template: "otp",
      createdAt: Date.now() - 10 * MINUTE,
      expiresAt: Date.now() - 5 * MINUTE,
    });
    const refused = await call(`/api/admin/messages/${expired}/retry`, { method: "POST", cookie: admin.cookie });
    expect(refused.status).toBe(409);
    expect(await json(refused)).toMatchObject({ error: { code: "CONFLICT", message: "This message has expired" } });
    expect(await statusOf(expired)).toBe("failed");

    // A sign-in code from before codes had an expiry is no use later either.
    const oldCode = await insertMessage({ phone: randomPhone(), status: "failed", template: "otp", expiresAt: null });
    const oldRefused = await call(`/api/admin/messages/${oldCode}/retry`, { method: "POST", cookie: admin.cookie });
    expect(oldRefused.status).toBe(409);
    const listed = await json<{ failed: Array<{ id: string; expired: boolean }> }>(
      await call("/api/admin/messages", { cookie: admin.cookie }),
    );
    expect(listed.failed.find((m) => m.id === oldCode)?.expired).toBe(true);

    const sent = await insertMessage({ phone: randomPhone(), status: "sent" });
    const notFailed = await call(`/api/admin/messages/${sent}/retry`, { method: "POST", cookie: admin.cookie });
    expect(notFailed.status).toBe(409);
    expect(await statusOf(sent)).toBe("sent");

    expect(
      (await call(`/api/admin/messages/${newId("msg")}/retry`, { method: "POST", cookie: admin.cookie })).status,
    ).toBe(404);
    expect(
      (await call(`/api/admin/messages/${"x".repeat(65)}/retry`, { method: "POST", cookie: admin.cookie })).status,
    ).toBe(400);
    const audits = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'outbox.retry' AND subject_id IN (?, ?)",
    )
      .bind(expired, sent)
      .first<{ n: number }>();
    expect(audits?.n).toBe(0);
  });
});

describe("texts past keeping (clearOldTexts, in the cron)", () => {
  it("are cleared after 30 days — the text and variables gone, the number masked — and can no longer be sent again", async () => {
    const at = Date.now();
    const phone = randomPhone();
    const old = { phone, createdAt: at - TEXT_KEPT - MINUTE };
    const sent = await insertMessage({ ...old, status: "sent" });
    const failed = await insertMessage({ ...old, status: "failed" });
    const landline = await insertMessage({ ...old, phone: "022-58881234", status: "sent" });
    const recent = await insertMessage({ phone, status: "sent", createdAt: at - TEXT_KEPT + DAY });
    const waiting = await insertMessage({ ...old, status: "queued" });
    await env.DB.prepare('UPDATE outbox SET params = \'{"offering":"日间照料"}\' WHERE recipient = ?')
      .bind(phone)
      .run();

    // Twice, as a cron that overlaps itself would.
    await runScheduled(env, at);
    await runScheduled(env, at);
    const rows = await env.DB.prepare(`SELECT id, recipient, body, params FROM outbox WHERE id IN (?, ?, ?, ?, ?)`)
      .bind(sent, failed, landline, recent, waiting)
      .all<{ id: string; recipient: string; body: string; params: string | null }>();
    const byId = Object.fromEntries(rows.results.map((r) => [r.id, r]));
    for (const id of [sent, failed]) {
      expect(byId[id]).toEqual({ id, recipient: maskPhone(phone), body: CLEARED_TEXT, params: null });
    }
    expect(byId[landline]?.recipient).toBe(maskPhone("022-58881234"));
    expect(byId[recent]).toMatchObject({ recipient: phone, body: "【邻里】您的验证码是 123456" });
    expect(byId[recent]?.params).not.toBeNull();
    // Still waiting to go (far ahead in this test): not a record yet, so kept whole.
    expect(byId[waiting]).toMatchObject({ recipient: phone });

    const refused = await call(`/api/admin/messages/${failed}/retry`, { method: "POST", cookie: admin.cookie });
    expect(refused.status).toBe(409);
    expect(await statusOf(failed)).toBe("failed");
    const listed = await json<Overview>(await call("/api/admin/messages", { cookie: admin.cookie }));
    expect(listed.failed.find((m) => m.id === failed)).toMatchObject({
      expired: true,
      recipientMasked: maskPhone(phone),
    });
  });
});
