import type { MiddlewareHandler } from "hono";
import { createDb } from "../../db";
import type { AppEnv } from "../env";

/** Puts a drizzle client over `env.DB` on the context as `c.var.db`. */
export function database(): MiddlewareHandler<AppEnv> {
  return async function database(c, next) {
    c.set("db", createDb(c.env.DB));
    await next();
  };
}
