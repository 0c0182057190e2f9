import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { DAY } from "../../worker/lib/time";

async function count(table: string, id: string) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE id = ?`).bind(id).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("scheduled()", () => {
  it("prunes old login codes and long-dead sessions, keeps live ones, and is safe to run twice", async () => {
    const at = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO accounts (id, phone, locale, elder_mode, created_at) VALUES ('acc_cron', '13911112222', 'zh-CN', 0, ?)",
      ).bind(at),
      env.DB.prepare(
        "INSERT INTO otp_codes (id, phone, code_hash, created_at, expires_at) VALUES ('otp_old', '13911112222', 'h', ?, ?)",
      ).bind(at - 3 * DAY, at - 3 * DAY),
      env.DB.prepare(
        "INSERT INTO otp_codes (id, phone, code_hash, created_at, expires_at) VALUES ('otp_new', '13911112222', 'h', ?, ?)",
      ).bind(at, at + 300_000),
      env.DB.prepare(
        "INSERT INTO sessions (id, token_hash, account_id, created_at, expires_at, last_seen_at) VALUES ('ses_dead', 'a', 'acc_cron', ?, ?, ?)",
      ).bind(at - 90 * DAY, at - 31 * DAY, at - 61 * DAY),
      env.DB.prepare(
        "INSERT INTO sessions (id, token_hash, account_id, created_at, expires_at, last_seen_at) VALUES ('ses_live', 'b', 'acc_cron', ?, ?, ?)",
      ).bind(at, at + 30 * DAY, at),
    ]);
    const controller = { scheduledTime: at, cron: "*/15 * * * *", noRetry() {} } as ScheduledController;
    const waits: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => waits.push(p),
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext;
    await worker.scheduled(controller, env, ctx);
    await Promise.all(waits);
    await worker.scheduled(controller, env, ctx);
    await Promise.all(waits);
    expect(await count("otp_codes", "otp_old")).toBe(0);
    expect(await count("otp_codes", "otp_new")).toBe(1);
    expect(await count("sessions", "ses_dead")).toBe(0);
    expect(await count("sessions", "ses_live")).toBe(1);
  });
});
