import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { createRouter, jsonResponse, NoQuery } from "../../lib/openapi";

const Health = z.object({ status: z.literal("ok"), database: z.literal("ok"), time: z.string() });

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["health"],
  summary: "Liveness: the Worker answers and D1 responds",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(Health, "Healthy") },
});

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  await c.var.db.run(sql`SELECT 1`);
  return c.json({ status: "ok" as const, database: "ok" as const, time: new Date().toISOString() }, 200);
});
