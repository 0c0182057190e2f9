import type { Context } from "hono";

/** The caller's address as Cloudflare reports it; "local" when run without Cloudflare's edge in front. */
export function clientIp(c: Context): string {
  return c.req.header("cf-connecting-ip") ?? "local";
}
