import type { MiddlewareHandler } from "hono";

/**
 * The security headers of every API response (the site's static pages get theirs from
 * `web/public/_headers`, which Workers static assets apply; those the Worker draws, below). An API answer is data
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

/**
 * The headers of the site's pages, as `web/public/_headers` gives the static ones: for the pages
 * the Worker draws (worker/features/pages). A test keeps the two the same.
 */
export const PAGE_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  [
    "Content-Security-Policy",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  ],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["X-Frame-Options", "DENY"],
];

/** Sets `API_SECURITY_HEADERS` (pages: `PAGE_SECURITY_HEADERS`) on the response, replacing any a route set. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    const path = c.req.path;
    const set = path === "/api" || path.startsWith("/api/") ? API_SECURITY_HEADERS : PAGE_SECURITY_HEADERS;
    for (const [name, value] of set) headers.set(name, value);
  };
}
