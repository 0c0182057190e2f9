import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { requireAccount } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { cookieAuth, createRouter, errors, jsonResponse, NoQuery } from "../../lib/openapi";
import { now } from "../../lib/time";
import { inbox, markRead, unreadCount } from "./notifications.queries";

const Notification = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  params: z
    .object({
      person: z.string().optional(),
      offering: z.string().optional(),
      organisation: z.string().optional(),
      startsAt: z.number().int().optional(),
      code: z.string().optional(),
      reason: z.string().optional(),
      address: z.string().optional(),
      status: z.string().optional(),
      proxy: z.string().optional(),
      number: z.string().optional(),
    })
    .nullable()
    .meta({ description: "What the notice is about, to word it in the reader's language (title/body are Chinese)" }),
  createdAt: z.number().int(),
  readAt: z.number().int().nullable(),
});
export const NotificationList = z.object({ notifications: z.array(Notification), unread: z.number().int() });
const Marked = z.object({ marked: z.number().int() });

const listRoute = createRoute({
  method: "get",
  path: "/notifications",
  tags: ["notifications"],
  summary: "My inbox, newest first, with the unread count",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(NotificationList, "Inbox"), ...errors(401) },
});

const readRoute = createRoute({
  method: "post",
  path: "/notifications/{id}/read",
  tags: ["notifications"],
  summary: "Mark one notice read",
  security: cookieAuth,
  request: { query: NoQuery, params: z.strictObject({ id: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(Marked, "Marked"), ...errors(400, 401, 404) },
});

const readAllRoute = createRoute({
  method: "post",
  path: "/notifications/read-all",
  tags: ["notifications"],
  summary: "Mark every notice read",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(Marked, "Marked"), ...errors(401) },
});

export const notificationsRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const account = await requireAccount(c);
    const [rows, unread] = await Promise.all([inbox(c.var.db, account.id, 100), unreadCount(c.var.db, account.id)]);
    return c.json(
      {
        notifications: rows.map((n) => ({
          id: n.id,
          kind: n.kind,
          title: n.title,
          body: n.body,
          link: n.link,
          params: n.params,
          createdAt: n.createdAt,
          readAt: n.readAt,
        })),
        unread,
      },
      200,
    );
  })
  .openapi(readAllRoute, async (c) => {
    const account = await requireAccount(c);
    return c.json({ marked: await markRead(c.var.db, account.id, null, now()) }, 200);
  })
  .openapi(readRoute, async (c) => {
    const account = await requireAccount(c);
    const marked = await markRead(c.var.db, account.id, c.req.valid("param").id, now());
    if (marked === 0) throw new ApiError("NOT_FOUND", "Notice not found or already read");
    return c.json({ marked }, 200);
  });
