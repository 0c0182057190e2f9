import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for a cookie-authenticated JSON API: state-changing requests must carry a JSON
 * body (an HTML form cannot send `application/json`) or none at all, and when the browser tells
 * us where the request comes from (`Origin`, `Sec-Fetch-Site`) it must be this site.
 *
 * @example
 * app.use("/api/*", jsonCsrf());
 */
export function jsonCsrf(): MiddlewareHandler<AppEnv> {
  return async function jsonCsrf(c, next) {
    if (SAFE.has(c.req.method)) return next();

    const origin = c.req.header("origin");
    if (origin) {
      const allowed = new Set([new URL(c.req.url).origin]);
      for (const o of (c.env.APP_ORIGIN ?? "").split(",")) if (o.trim()) allowed.add(o.trim());
      if (!allowed.has(origin)) throw new ApiError("CSRF_REJECTED", "Cross-site request refused");
    }
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") {
      throw new ApiError("CSRF_REJECTED", "Cross-site request refused");
    }

    const type = c.req.header("content-type");
    const length = c.req.header("content-length");
    const hasBody = type !== undefined || (length !== undefined && length !== "0");
    if (hasBody && !/^application\/json(\s*;|$)/i.test(type ?? "")) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send JSON with Content-Type: application/json");
    }
    return next();
  };
}
