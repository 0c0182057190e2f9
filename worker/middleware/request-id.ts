import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

const WELL_FORMED = /^[\w\-=]{1,255}$/;

/**
 * Gives every request an id — the caller's `X-Request-Id` when it is well formed, else a new
 * UUID — as `c.var.requestId` (error bodies and the audit log carry it) and on the response.
 *
 * The header goes onto the finished response, not set before the route runs as Hono's
 * `requestId` does: a header set in advance makes every answer build its headers twice (Hono
 * collects them in a Headers object, then the Response copies it), and the runtime's garbage
 * collector pays for each of those objects again when it finalises them (bench/results.md).
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const given = c.req.header("x-request-id");
    const id = given && WELL_FORMED.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}
