import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../env";

export const SESSION_COOKIE = "linli_session";

/** `linli_session=<token>` among a Cookie header's pairs; tokens are base64url (`randomToken`). */
const SESSION_PAIR = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=([A-Za-z0-9_-]+)\\s*(?:;|$)`);

/**
 * The session token from a Cookie header, or undefined — reading only our cookie (Hono's
 * `getCookie` parses and decodes every pair: a few per cent of a request's CPU on the hot routes).
 * A value that is not base64url cannot be a token and reads as none.
 */
export function sessionTokenFrom(header: string | null): string | undefined {
  return header ? SESSION_PAIR.exec(header)?.[1] : undefined;
}

/** Writes the session cookie: HttpOnly, Secure, SameSite=Lax, whole site, expiring with the session. */
export function writeSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
}
