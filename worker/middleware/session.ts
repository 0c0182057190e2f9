import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../env";
import { extendSession, findLiveSession, SESSION_REFRESH_AFTER, SESSION_TTL } from "../features/auth/auth.queries";
import { sha256 } from "../lib/crypto";
import { SESSION_COOKIE, writeSessionCookie } from "../lib/session-cookie";
import { now } from "../lib/time";

/**
 * Resolves the session cookie to `c.var.account` (null when absent, unknown, expired or revoked)
 * and slides the expiry forward: 30 days from the latest use, refreshed at most daily.
 */
export function session(): MiddlewareHandler<AppEnv> {
  return async function session(c, next) {
    c.set("account", null);
    const token = getCookie(c, SESSION_COOKIE);
    if (token && token.length <= 128) {
      const at = now();
      const live = await findLiveSession(c.var.db, await sha256(token), at);
      if (live) {
        c.set("account", {
          id: live.accountId,
          phone: live.phone,
          sessionId: live.id,
          grants: live.grants,
        });
        if (live.expiresAt - at < SESSION_TTL - SESSION_REFRESH_AFTER) {
          await extendSession(c.var.db, live.id, at);
          writeSessionCookie(c, token, at + SESSION_TTL);
        }
      }
    }
    await next();
  };
}
