import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { renderSVG } from "uqr";
import { z } from "zod";
import { calendarFeeds } from "../../../db/schema";
import { requireAccount } from "../../lib/authz";
import { randomToken, sha256 } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { icalCalendar } from "../../lib/ical";
import { cookieAuth, createRouter, errors, jsonResponse, NoQuery } from "../../lib/openapi";
import { DAY, now } from "../../lib/time";
import { bookingsHandledQuery, findBooking, handlesPersonQuery } from "./bookings.queries";
import { IdParam } from "./bookings.schema";

const FeedLink = z.object({
  url: z.string().meta({ description: "Secret: anyone with it can read the feed. Shown once." }),
});
const FeedState = z.object({ active: z.boolean(), createdAt: z.number().int().nullable() });

const feedStateRoute = createRoute({
  method: "get",
  path: "/me/calendar-feed",
  tags: ["bookings"],
  summary: "Whether I have a personal calendar feed",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(FeedState, "State"), ...errors(401) },
});

const createFeedRoute = createRoute({
  method: "post",
  path: "/me/calendar-feed",
  tags: ["bookings"],
  summary: "Create (or reset) my calendar feed link; any earlier link stops working",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 201: jsonResponse(FeedLink, "Link"), ...errors(401) },
});

const deleteFeedRoute = createRoute({
  method: "delete",
  path: "/me/calendar-feed",
  tags: ["bookings"],
  summary: "Revoke my calendar feed link",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(FeedState, "Revoked"), ...errors(401) },
});

const feedRoute = createRoute({
  method: "get",
  path: "/calendar/{token}",
  tags: ["bookings"],
  summary:
    "A personal iCalendar feed (text/calendar) of my and my persons' bookings — no sign-in, the URL is the secret",
  // Calendar apps may add their own query parameters (a cache-buster, a client tag): ignored.
  request: { params: z.strictObject({ token: z.string().regex(/^[\w-]{20,80}\.ics$/) }) },
  responses: {
    200: { description: "iCalendar", content: { "text/calendar": { schema: z.string() } } },
    ...errors(400, 404),
  },
});

const qrRoute = createRoute({
  method: "get",
  path: "/bookings/{id}/qr.svg",
  tags: ["bookings"],
  summary: "The booking's check-in code as a QR code (SVG)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: {
    200: { description: "SVG", content: { "image/svg+xml": { schema: z.string() } } },
    ...errors(400, 401, 404),
  },
});

/** Bookings that are not (yet) a place, by the word their calendar entry is marked with. */
const UNSURE: Partial<Record<string, string>> = { waitlisted: "候补", pending: "待确认" };

export const calendarRoutes = createRouter()
  .openapi(feedStateRoute, async (c) => {
    const account = await requireAccount(c);
    const [row] = await c.var.db.select().from(calendarFeeds).where(eq(calendarFeeds.accountId, account.id));
    return c.json({ active: !!row, createdAt: row?.createdAt ?? null }, 200);
  })
  .openapi(createFeedRoute, async (c) => {
    const account = await requireAccount(c);
    const token = randomToken(24);
    const tokenHash = await sha256(token);
    const at = now();
    await c.var.db
      .insert(calendarFeeds)
      .values({ accountId: account.id, tokenHash, createdAt: at })
      .onConflictDoUpdate({ target: calendarFeeds.accountId, set: { tokenHash, createdAt: at } });
    return c.json({ url: `${new URL(c.req.url).origin}/api/calendar/${token}.ics` }, 201);
  })
  .openapi(deleteFeedRoute, async (c) => {
    const account = await requireAccount(c);
    await c.var.db.delete(calendarFeeds).where(eq(calendarFeeds.accountId, account.id));
    return c.json({ active: false, createdAt: null }, 200);
  })
  .openapi(feedRoute, async (c) => {
    const token = c.req.valid("param").token.replace(/\.ics$/, "");
    const db = c.var.db;
    const [feed] = await db
      .select()
      .from(calendarFeeds)
      .where(eq(calendarFeeds.tokenHash, await sha256(token)));
    if (!feed) throw new ApiError("NOT_FOUND", "No such calendar");
    const at = now();
    // What is ahead (the soonest 200) and the last 30 days (at most 100, latest first): read apart,
    // so that a grid worker's month of past meals cannot crowd out next week. Cancelled bookings
    // are left out by the queries, not after their limits.
    const [ahead, behind] = await c.var.db.batch([
      bookingsHandledQuery(db, feed.accountId, { when: "upcoming", notCancelled: true }, at),
      bookingsHandledQuery(db, feed.accountId, { when: "past", notCancelled: true }, at, 100),
    ]);
    // A place waited for that never came is not something that happened: gone once the slot is over.
    const rows = [
      ...behind.filter((r) => r.slot.endsAt > at - 30 * DAY && r.booking.status !== "waitlisted").reverse(),
      ...ahead,
    ];
    const calendar = icalCalendar({
      name: "邻里 · 我的预约",
      stamp: at,
      refreshHours: 1,
      events: rows.map((r) => {
        // Not (yet) a place: shown as tentative, and said so in the title a phone calendar shows.
        const unsure = UNSURE[r.booking.status];
        return {
          uid: `${r.booking.id}@linli`,
          start: r.slot.startsAt,
          end: r.slot.endsAt,
          lastModified: r.booking.updatedAt,
          status: unsure ? "TENTATIVE" : "CONFIRMED",
          summary: `${unsure ? `【${unsure}】` : ""}${r.offering.title}（${r.personName}）`,
          description:
            r.booking.status === "waitlisted"
              ? `${r.organisationName}\n候补中，有名额时会通知您`
              : `${r.organisationName}\n签到码 ${r.booking.code}${r.booking.status === "pending" ? "\n待服务机构确认" : ""}`,
        };
      }),
    });
    return c.body(calendar, 200, {
      "Content-Type": "text/calendar; charset=utf-8",
      "Cache-Control": "private, max-age=300",
    });
  })
  .openapi(qrRoute, async (c) => {
    const account = await requireAccount(c);
    const row = await findBooking(c.var.db, c.req.valid("param").id);
    if (!row) throw new ApiError("NOT_FOUND", "Booking not found");
    // The same rule as the booking itself: the person, or a proxy for bookings.
    if ((await handlesPersonQuery(c.var.db, account.id, row.booking.personId)).length === 0) {
      throw new ApiError("NOT_FOUND", "Booking not found");
    }
    return c.body(renderSVG(row.booking.code, { border: 2 }), 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "private, max-age=86400",
    });
  });
