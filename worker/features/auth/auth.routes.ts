import { createRoute } from "@hono/zod-openapi";
import { clientIp } from "../../lib/client-ip";
import { hmac, randomDigits, randomToken, sha256, timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { hashKey } from "../../lib/hash-key";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { hit, secondsLeftInWindow } from "../../lib/rate-limit";
import { clearSessionCookie, writeSessionCookie } from "../../lib/session-cookie";
import { deliverSoon } from "../../lib/sms";
import { HOUR, MINUTE, now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import {
  consumeOtp,
  createSession,
  findOrCreateAccount,
  issueOtp,
  latestOpenOtp,
  OTP_MIN_INTERVAL,
  OTP_TTL,
  recordFailedAttempt,
  revokeSession,
} from "./auth.queries";
import { LoggedOut, OtpRequest, OtpSent, VerifyRequest, VerifyResult } from "./auth.schema";

/** Codes one address may request per hour (a community centre's shared network included). */
export const OTP_PER_IP_PER_HOUR = 30;
/** Code checks one address may make per 10 minutes, whatever the numbers. */
export const VERIFY_PER_IP_PER_10_MIN = 60;

const sendOtp = createRoute({
  method: "post",
  path: "/otp",
  tags: ["auth"],
  summary: "Send a one-time login code by SMS",
  request: { query: NoQuery, ...jsonBody(OtpRequest) },
  responses: { 200: jsonResponse(OtpSent, "Code sent"), ...errors(400, 429) },
});

const verify = createRoute({
  method: "post",
  path: "/verify",
  tags: ["auth"],
  summary: "Check the code and start a session (sets the session cookie)",
  request: { query: NoQuery, ...jsonBody(VerifyRequest) },
  responses: { 200: jsonResponse(VerifyResult, "Signed in"), ...errors(400, 429) },
});

const logout = createRoute({
  method: "post",
  path: "/logout",
  tags: ["auth"],
  summary: "End the current session",
  request: { query: NoQuery },
  security: cookieAuth,
  responses: { 200: jsonResponse(LoggedOut, "Signed out") },
});

export const authRoutes = createRouter()
  .openapi(sendOtp, async (c) => {
    const { phone } = c.req.valid("json");
    const at = now();
    const db = c.var.db;
    if (!(await hit(db, `otp:ip:${clientIp(c)}`, HOUR, OTP_PER_IP_PER_HOUR, at))) {
      const retry = secondsLeftInWindow(HOUR, at);
      throw new ApiError("RATE_LIMITED", "Too many codes requested from this network; try later", {
        "Retry-After": String(retry),
      });
    }
    const code = randomDigits(6);
    const issued = await issueOtp(db, {
      phone,
      codeHash: await hmac(hashKey(c.env), `${phone}:${code}`),
      ip: clientIp(c),
      at,
      message: {
        to: phone,
        template: "otp",
        body: `【邻里】您的登录验证码是 ${code}，${OTP_TTL / MINUTE} 分钟内有效。请勿告诉他人。Your Linli code is ${code}.`,
        params: { code },
      },
    });
    if (!issued.ok) {
      const tooSoon = issued.reason === "too_soon";
      throw new ApiError(
        "RATE_LIMITED",
        tooSoon ? "Wait a minute before asking for another code" : "Too many codes for this number today",
        { "Retry-After": tooSoon ? String(OTP_MIN_INTERVAL / 1000) : String(HOUR / 1000) },
      );
    }
    deliverSoon(c);
    return c.json(
      { sent: true as const, expiresInSeconds: OTP_TTL / 1000, retryAfterSeconds: OTP_MIN_INTERVAL / 1000 },
      200,
    );
  })
  .openapi(verify, async (c) => {
    const { phone, code } = c.req.valid("json");
    const at = now();
    const db = c.var.db;
    if (!(await hit(db, `verify:ip:${clientIp(c)}`, 10 * MINUTE, VERIFY_PER_IP_PER_10_MIN, at))) {
      throw new ApiError("RATE_LIMITED", "Too many attempts from this network; try later", {
        "Retry-After": String(secondsLeftInWindow(10 * MINUTE, at)),
      });
    }
    const otp = await latestOpenOtp(db, phone);
    if (!otp) throw new ApiError("OTP_INVALID", "No valid code for this number; request a new one");
    if (otp.expiresAt <= at) throw new ApiError("OTP_EXPIRED", "This code has expired; request a new one");

    const expected = await hmac(hashKey(c.env), `${phone}:${code}`);
    if (!timingSafeEqual(expected, otp.codeHash)) {
      const left = await recordFailedAttempt(db, otp.id);
      throw new ApiError(
        "OTP_INVALID",
        left > 0 ? `Wrong code; ${left} tries left` : "Wrong code too many times; request a new one",
      );
    }
    if (!(await consumeOtp(db, otp.id, at))) throw new ApiError("OTP_INVALID", "This code was already used");

    const account = await findOrCreateAccount(db, phone, at);
    const token = randomToken();
    const session = await createSession(db, {
      accountId: account.id,
      tokenHash: await sha256(token),
      at,
      userAgent: c.req.header("user-agent") ?? null,
    });
    writeSessionCookie(c, token, session.expiresAt);
    return c.json({ accountId: account.id, isNew: account.isNew }, 200);
  })
  .openapi(logout, async (c) => {
    const account = await currentAccount(c, { refresh: false });
    if (account) await revokeSession(c.var.db, account.sessionId, now());
    clearSessionCookie(c);
    return c.json({ loggedOut: true as const }, 200);
  });
