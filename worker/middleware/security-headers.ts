import type { MiddlewareHandler } from "hono";

/**
 * The security headers of every API response (the Worker answers only `/api/*`; the site's pages
 * get theirs from `web/public/_headers`, which Workers static assets apply). An API answer is data
 * — JSON, an SVG QR code, a CSV or an iCal feed — never a page that loads anything, so its policy
 * allows nothing and may be framed by nobody (OWASP REST Security Cheat Sheet, "Security
 * headers"). The HTML-only headers of a page (X-XSS-Protection, X-Download-Options,
 * Permissions-Policy and the like) mean nothing on such a response and are not sent: each header
 * is a call into the runtime on every request.
 */
export const API_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
];

/** Sets `API_SECURITY_HEADERS` on the response, replacing any a route set. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of API_SECURITY_HEADERS) headers.set(name, value);
  };
}
