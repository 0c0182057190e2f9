import { createRoute } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { OUTBOX_STATUSES, outbox } from "../../../db/schema";
import { ApiError } from "../../lib/errors";
import { createRouter, errors, jsonResponse } from "../../lib/openapi";
import { Phone } from "../auth/auth.schema";

const OutboxList = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      to: z.string(),
      template: z.string(),
      body: z.string(),
      /** queued, sending, sent or failed (the outbox "sends" right after the request that queued it). */
      status: z.enum(OUTBOX_STATUSES),
      createdAt: z.number().int(),
    }),
  ),
});

const outboxRoute = createRoute({
  method: "get",
  path: "/dev/outbox",
  tags: ["dev"],
  summary: "Local runs and tests only (DEV_OUTBOX=true): messages sent to a number, newest first",
  request: { query: z.strictObject({ phone: Phone }) },
  responses: { 200: jsonResponse(OutboxList, "Messages"), ...errors(400, 404) },
});

export const devRoutes = createRouter().openapi(outboxRoute, async (c) => {
  if (c.env.DEV_OUTBOX !== "true") throw new ApiError("NOT_FOUND", "Not found");
  const { phone } = c.req.valid("query");
  const rows = await c.var.db
    .select({
      id: outbox.id,
      to: outbox.recipient,
      template: outbox.template,
      body: outbox.body,
      status: outbox.status,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .where(eq(outbox.recipient, phone))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(50);
  return c.json({ messages: rows }, 200);
});
