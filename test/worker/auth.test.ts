import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { otpCodes, outbox, sessions } from "../../db/schema";
import { app } from "../../worker/app";
import { SUPERSEDED } from "../../worker/features/auth/auth.queries";
import { sha256 } from "../../worker/lib/crypto";
import { DAY, MINUTE } from "../../worker/lib/time";
import { runScheduled } from "../../worker/scheduled";
import { call, codeFrom, db, json, lastSms, randomIp, randomPhone } from "../factories";

type ErrorBody = { error: { code: string; message: string; requestId: string } };

async function requestCode(phone: string, ip = randomIp()) {
  return call("/api/auth/otp", { body: { phone }, headers: { "cf-connecting-ip": ip } });
}

async function verify(phone: string, code: string, ip = randomIp()) {
  return call("/api/auth/verify", { body: { phone, code }, headers: { "cf-connecting-ip": ip } });
}

function sessionCookie(res: Response): string {
  const header = res.headers.get("set-cookie") ?? "";
  const match = /linli_session=([^;]+)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in "${header}"`);
  return `linli_session=${match[1]}`;
}

async function signIn(phone = randomPhone()) {
  expect((await requestCode(phone)).status).toBe(200);
  const res = await verify(phone, codeFrom(await lastSms(phone)));
  expect(res.status).toBe(200);
  return { phone, res, cookie: sessionCookie(res) };
}

function wrongCode(code: string): string {
  return code === "000000" ? "111111" : "000000";
}

describe("login by phone code", () => {
  it("sends a code to the outbox, signs in with it and sets a safe cookie", async () => {
    const phone = randomPhone();
    const sent = await requestCode(phone);
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ sent: true, expiresInSeconds: 300, retryAfterSeconds: 60 });

    const sms = await lastSms(phone);
    const code = codeFrom(sms);
    const res = await verify(phone, code);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ isNew: true });

    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie)?.[1] ?? "");
    expect(expires - Date.now()).toBeGreaterThan(29 * DAY);

    const me = await call("/api/me", { cookie: sessionCookie(res) });
    expect(me.status).toBe(200);
    const body = await json<{ account: { phoneMasked: string }; persons: Array<{ relationship: string }> }>(me);
    expect(body.account.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect(body.persons).toHaveLength(1);
    expect(body.persons[0]?.relationship).toBe("self");
  });

  it("stores only hashes of codes and session tokens", async () => {
    const { phone, cookie } = await signIn();
    const code = codeFrom(await lastSms(phone));
    const [otp] = await db().select().from(otpCodes).where(eq(otpCodes.phone, phone));
    expect(otp?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(otp?.codeHash).not.toContain(code);

    const token = cookie.split("=")[1] ?? "";
    const rows = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, await sha256(token)));
    expect(rows).toHaveLength(1);
    const raw = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE token_hash = ?").bind(token).first();
    expect(raw?.n).toBe(0);
  });

  it("signs the same number into the same account the second time", async () => {
    const first = await signIn();
    await db()
      .update(otpCodes)
      .set({ createdAt: Date.now() - 2 * MINUTE })
      .where(eq(otpCodes.phone, first.phone));
    const second = await signIn(first.phone);
    expect(await json(second.res)).toMatchObject({ isNew: false });
    const a = await json<{ account: { id: string } }>(await call("/api/me", { cookie: first.cookie }));
    const b = await json<{ account: { id: string } }>(await call("/api/me", { cookie: second.cookie }));
    expect(a.account.id).toBe(b.account.id);
  });

  it("refuses a wrong code and says how many tries are left", async () => {
    const phone = randomPhone();
    await requestCode(phone);
    const code = codeFrom(await lastSms(phone));
    const res = await verify(phone, wrongCode(code));
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe("OTP_INVALID");
    expect(body.error.message).toContain("4");
    expect(body.error.requestId).toBeTruthy();
  });

  it("burns the code after 5 wrong tries, so even the right code then fails", async () => {
    const phone = randomPhone();
    await requestCode(phone);
    const code = codeFrom(await lastSms(phone));
    for (let i = 0; i < 5; i++) expect((await verify(phone, wrongCode(code))).status).toBe(400);
    const res = await verify(phone, code);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("OTP_INVALID");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refuses an expired code", async () => {
    const phone = randomPhone();
    await requestCode(phone);
    const code = codeFrom(await lastSms(phone));
    await db()
      .update(otpCodes)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(otpCodes.phone, phone));
    const res = await verify(phone, code);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("OTP_EXPIRED");
  });

  it("accepts a code only once", async () => {
    const { phone } = await signIn();
    const res = await verify(phone, codeFrom(await lastSms(phone)));
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("OTP_INVALID");
  });

  it("refuses to verify when no code was ever sent", async () => {
    const res = await verify(randomPhone(), "123456");
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("OTP_INVALID");
  });

  it.each([["12812345678"], ["1381234567"], ["+8613812345678"], ["138123456789"], ["abcdefghijk"]])(
    "refuses %s as a phone number",
    async (phone) => {
      const res = await requestCode(phone);
      expect(res.status).toBe(400);
      expect((await json<ErrorBody>(res)).error.code).toBe("VALIDATION_FAILED");
    },
  );
});

describe("rate limits", () => {
  it("allows one code a minute per number", async () => {
    const phone = randomPhone();
    expect((await requestCode(phone)).status).toBe(200);
    const again = await requestCode(phone);
    expect(again.status).toBe(429);
    expect(again.headers.get("retry-after")).toBe("60");
    expect((await json<ErrorBody>(again)).error.code).toBe("RATE_LIMITED");
  });

  it("allows a new code once the minute has passed", async () => {
    const phone = randomPhone();
    await requestCode(phone);
    await db()
      .update(otpCodes)
      .set({ createdAt: Date.now() - 61_000 })
      .where(eq(otpCodes.phone, phone));
    expect((await requestCode(phone)).status).toBe(200);
  });

  it("does not send an earlier code again once a newer one is sent (only the newest works)", async () => {
    const phone = randomPhone();
    expect((await requestCode(phone)).status).toBe(200);
    // Its first send failed (or seemed to) and waits to be tried again, a minute on.
    const back = Date.now() - 61_000;
    await db().update(otpCodes).set({ createdAt: back }).where(eq(otpCodes.phone, phone));
    await db()
      .update(outbox)
      .set({ status: "queued", attempts: 1, createdAt: back, dueAt: Date.now() + MINUTE, sentAt: null })
      .where(eq(outbox.recipient, phone));
    const [earlier] = await db().select({ id: outbox.id }).from(outbox).where(eq(outbox.recipient, phone));
    expect((await requestCode(phone)).status).toBe(200);
    const texts = await db()
      .select({ id: outbox.id, status: outbox.status, error: outbox.error, dueAt: outbox.dueAt })
      .from(outbox)
      .where(eq(outbox.recipient, phone));
    expect(texts.find((t) => t.id === earlier?.id)).toEqual({
      id: earlier?.id,
      status: "failed",
      error: SUPERSEDED,
      dueAt: null,
    });
    expect(texts.filter((t) => t.id !== earlier?.id).map((t) => t.status)).not.toContain("failed");
    // The new code is the one that works.
    expect((await verify(phone, codeFrom(await lastSms(phone)))).status).toBe(200);
  });

  it("allows ten codes a day per number", async () => {
    const phone = randomPhone();
    const at = Date.now();
    for (let i = 0; i < 10; i++) {
      await env.DB.prepare(
        "INSERT INTO otp_codes (id, phone, code_hash, created_at, expires_at, attempts) VALUES (?, ?, 'x', ?, ?, 0)",
      )
        .bind(`otp_seed_${i}`, phone, at - (i + 2) * 60 * MINUTE, at - (i + 2) * 60 * MINUTE + 5 * MINUTE)
        .run();
    }
    const res = await requestCode(phone);
    expect(res.status).toBe(429);
    expect((await json<ErrorBody>(res)).error.message).toMatch(/today/);
  });

  it("gives only one of many simultaneous requests for a number a code", async () => {
    const phone = randomPhone();
    const results = await Promise.all(Array.from({ length: 8 }, () => requestCode(phone)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
    const rows = await db().select().from(otpCodes).where(eq(otpCodes.phone, phone));
    expect(rows).toHaveLength(1);
  });

  it("limits codes requested from one address", async () => {
    const ip = randomIp();
    for (let i = 0; i < 30; i++) expect((await requestCode(randomPhone(), ip)).status).toBe(200);
    const res = await requestCode(randomPhone(), ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("limits code checks from one address", async () => {
    const ip = randomIp();
    for (let i = 0; i < 60; i++) expect((await verify(randomPhone(), "123456", ip)).status).toBe(400);
    expect((await verify(randomPhone(), "123456", ip)).status).toBe(429);
  });
});

describe("sessions", () => {
  it("are revoked at logout", async () => {
    const { cookie } = await signIn();
    const out = await call("/api/auth/logout", { method: "POST", cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/linli_session=;.*Max-Age=0/i);
    const me = await call("/api/me", { cookie });
    expect(me.status).toBe(401);
    expect((await json<ErrorBody>(me)).error.code).toBe("UNAUTHENTICATED");
    const token = cookie.split("=")[1] ?? "";
    const [row] = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, await sha256(token)));
    expect(row?.revokedAt).toBeTypeOf("number");
  });

  it("expire after 30 days without use", async () => {
    const { cookie } = await signIn();
    const tokenHash = await sha256(cookie.split("=")[1] ?? "");
    await db()
      .update(sessions)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(sessions.tokenHash, tokenHash));
    expect((await call("/api/me", { cookie })).status).toBe(401);
  });

  it("slide forward when used, refreshing the cookie", async () => {
    const { cookie } = await signIn();
    const tokenHash = await sha256(cookie.split("=")[1] ?? "");
    await db()
      .update(sessions)
      .set({ expiresAt: Date.now() + 10 * DAY })
      .where(eq(sessions.tokenHash, tokenHash));
    const res = await call("/api/me", { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/linli_session=/);
    const [row] = await db().select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
    expect((row?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(29 * DAY);
  });

  it("do not refresh on every request", async () => {
    const { cookie } = await signIn();
    const res = await call("/api/me", { cookie });
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("ignore a forged cookie", async () => {
    expect((await call("/api/me", { cookie: "linli_session=forged-token" })).status).toBe(401);
  });
});

describe("dev outbox", () => {
  it("answers 404 unless DEV_OUTBOX is true", async () => {
    const res = await app.request(`/api/dev/outbox?phone=${randomPhone()}`, {}, { ...env, DEV_OUTBOX: "false" });
    expect(res.status).toBe(404);
    expect((await json<ErrorBody>(res)).error.code).toBe("NOT_FOUND");
  });

  it("lists messages newest first", async () => {
    const phone = randomPhone();
    await requestCode(phone);
    await db()
      .update(otpCodes)
      .set({ createdAt: Date.now() - 2 * MINUTE })
      .where(eq(otpCodes.phone, phone));
    await new Promise((r) => setTimeout(r, 5));
    await requestCode(phone);
    const res = await call(`/api/dev/outbox?phone=${phone}`);
    const body = await json<{ messages: Array<{ createdAt: number; template: string }> }>(res);
    expect(body.messages).toHaveLength(2);
    expect(body.messages[0]?.createdAt).toBeGreaterThanOrEqual(body.messages[1]?.createdAt ?? Infinity);
    expect(body.messages[0]?.template).toBe("otp");
  });
});

describe("sign-in codes are not kept in clear", () => {
  it("the cron clears a code's text once it is an hour old; a fresh one's stays; the delivery record stays", async () => {
    const old = randomPhone();
    const fresh = randomPhone();
    expect((await requestCode(old)).status).toBe(200);
    expect((await requestCode(fresh)).status).toBe(200);
    const oldCode = codeFrom(await lastSms(old));
    // The first code was asked for two hours ago.
    await env.DB.prepare("UPDATE outbox SET created_at = created_at - ? WHERE recipient = ?")
      .bind(2 * 60 * MINUTE, old)
      .run();
    await runScheduled(env, Date.now());
    await runScheduled(env, Date.now());
    const rows = await env.DB.prepare(
      "SELECT recipient, template, body, params, status FROM outbox WHERE recipient IN (?, ?) ORDER BY recipient = ?",
    )
      .bind(old, fresh, fresh)
      .all<{ recipient: string; template: string; body: string; params: string | null; status: string }>();
    const [cleared, kept] = rows.results;
    expect(cleared).toMatchObject({
      recipient: old,
      template: "otp",
      body: "【邻里】登录验证码（已失效，已清除）",
      params: null,
    });
    expect(JSON.stringify(cleared)).not.toContain(oldCode);
    expect(["queued", "sending", "sent", "failed"]).toContain(cleared?.status);
    expect(kept?.body).toContain(codeFrom(await lastSms(fresh)));
    expect(JSON.parse(kept?.params ?? "{}")).toEqual({ code: codeFrom(await lastSms(fresh)) });
  });
});
