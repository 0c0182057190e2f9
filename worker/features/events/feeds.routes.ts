import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db";
import { communities } from "../../../db/schema";
import { ApiError } from "../../lib/errors";
import { type IcalEvent, icalCalendar } from "../../lib/ical";
import { createRouter, errors, NoQuery } from "../../lib/openapi";
import { formatWhen } from "../../lib/shanghai";
import { DAY, now } from "../../lib/time";
import { type CalendarRow, calendarRows, findEvent, newlyPublished, occurrencesOf } from "./events.queries";
import { EventParams, eventPlace, FeedQuery } from "./events.schema";

/** Chinese names of the categories, for feed titles and calendar categories (feeds are one language). */
const CATEGORY_ZH: Record<string, string> = {
  culture: "文化",
  sports: "体育",
  science: "科普",
  health_talk: "健康讲座",
  parent_child: "亲子",
  elderly: "敬老",
  festival: "节庆民俗",
  volunteer: "志愿服务",
  other: "其他",
};

/** How far back and ahead a subscribed calendar reaches, and how many occurrences at most. */
const FEED_BACK_DAYS = 30;
const FEED_AHEAD_DAYS = 180;
const FEED_MAX = 1000;

const icsResponse = { description: "iCalendar", content: { "text/calendar": { schema: z.string() } } };

const feedRoute = createRoute({
  method: "get",
  path: "/event-feeds/calendar.ics",
  tags: ["events"],
  summary:
    "Published events as an iCalendar feed phone calendars subscribe to: all, one community's (with the street-wide ones) or one category's",
  request: { query: FeedQuery },
  responses: { 200: icsResponse, ...errors(400) },
});

const atomRoute = createRoute({
  method: "get",
  path: "/event-feeds/new.atom",
  tags: ["events"],
  summary: "Newly published events as an Atom feed (RSS readers), newest first",
  request: { query: FeedQuery },
  responses: {
    200: { description: "Atom", content: { "application/atom+xml": { schema: z.string() } } },
    ...errors(400),
  },
});

const eventIcsRoute = createRoute({
  method: "get",
  path: "/events/{id}/calendar.ics",
  tags: ["events"],
  summary: "One published event's occurrences as iCalendar (add to my calendar)",
  request: { query: NoQuery, params: EventParams },
  responses: { 200: icsResponse, ...errors(400, 404) },
});

function eventText(
  r: { organisationName: string; contact: string; description: string; signup: boolean },
  url: string,
) {
  return [
    `主办：${r.organisationName}`,
    `联系：${r.contact}`,
    r.signup ? `报名：${url}` : "无需报名，欢迎参加",
    r.description,
  ]
    .filter(Boolean)
    .join("\n");
}

/** One date of an event, as both iCalendar answers read it. */
type FeedOccurrence = Omit<
  CalendarRow,
  "signup" | "audience" | "communityId" | "communityName" | "capacity" | "heldCount" | "waitlist" | "accessibility"
> & {
  signup: boolean;
};

function toVevent(r: FeedOccurrence, origin: string): IcalEvent {
  const url = `${origin}/events/${r.eventId}`;
  return {
    uid: `${r.slotId}@linli-events`,
    start: r.startsAt,
    end: r.endsAt,
    summary: r.title,
    description: eventText(r, url),
    location: r.place || undefined,
    url,
    // Cancelling an event cancels what was still to come; what took place stays as it was.
    status: r.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
    lastModified: r.updatedAt,
    categories: [CATEGORY_ZH[r.category] ?? r.category],
  };
}

const ics = (body: string, cache: string) =>
  new Response(body, { headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": cache } });

/** Text for XML: markup characters escaped, characters XML 1.0 does not allow (control characters) left out. */
function xml(text: string) {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/[<>&"']/g, (ch) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[ch]};`)
  );
}

/** A feed's name: the street's, narrowed by community or category when asked (an unknown community: 404). */
async function feedName(db: Db, q: z.infer<typeof FeedQuery>) {
  const parts = ["金钟街社区活动"];
  if (q.community) {
    const [row] = await db.select({ name: communities.name }).from(communities).where(eq(communities.id, q.community));
    if (!row) throw new ApiError("NOT_FOUND", "Community not found");
    parts.push(row.name);
  }
  if (q.category) parts.push(CATEGORY_ZH[q.category] ?? q.category);
  return `邻里 · ${parts.join(" · ")}`;
}

export const eventFeedRoutes = createRouter()
  .openapi(feedRoute, async (c) => {
    const q = c.req.valid("query");
    const at = now();
    const origin = new URL(c.req.url).origin;
    const rows = await calendarRows(
      c.var.db,
      { from: at - FEED_BACK_DAYS * DAY, to: at + FEED_AHEAD_DAYS * DAY, community: q.community, category: q.category },
      FEED_MAX,
    );
    const body = icalCalendar({
      name: await feedName(c.var.db, q),
      description: "金钟街道各社区公开的文化、体育、科普、健康与亲子活动",
      stamp: at,
      refreshHours: 6,
      events: rows.slice(0, FEED_MAX).map((r) => toVevent({ ...r, signup: r.signup === 1 }, origin)),
    });
    return ics(body, "public, max-age=600");
  })
  .openapi(eventIcsRoute, async (c) => {
    const row = await findEvent(c.var.db, c.req.valid("param").id);
    if (!row || row.details.publishedAt === null) throw new ApiError("NOT_FOUND", "Event not found");
    const at = now();
    const origin = new URL(c.req.url).origin;
    const occurrences = await occurrencesOf(c.var.db, row.offering.id, at - FEED_BACK_DAYS * DAY);
    const body = icalCalendar({
      name: row.offering.title,
      stamp: at,
      events: occurrences.map((s) =>
        toVevent(
          {
            eventId: row.offering.id,
            slotId: s.id,
            title: row.offering.title,
            description: row.offering.description,
            category: (row.offering.category ?? "other") as CalendarRow["category"],
            organisationName: row.organisationName,
            place: eventPlace({ facilityName: row.facilityName, placeText: row.details.placeText }),
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            status: s.status,
            signup: row.details.signup,
            contact: row.details.contact,
            updatedAt: Math.max(s.updatedAt, row.details.updatedAt, row.offering.updatedAt),
          },
          origin,
        ),
      ),
    });
    const response = ics(body, "public, max-age=300");
    response.headers.set("Content-Disposition", `attachment; filename="event-${row.offering.id}.ics"`);
    return response;
  })
  .openapi(atomRoute, async (c) => {
    const q = c.req.valid("query");
    const at = now();
    const origin = new URL(c.req.url).origin;
    const rows = await newlyPublished(c.var.db, q, at);
    const name = await feedName(c.var.db, q);
    const self = new URL(c.req.url);
    const updated = rows.reduce((latest, r) => Math.max(latest, r.updatedAt), 0) || at;
    const entries = rows.map((r) => {
      const url = `${origin}/events/${r.eventId}`;
      const lines = [
        r.nextStartsAt ? `时间：${formatWhen(r.nextStartsAt)}` : "",
        r.place ? `地点：${r.place}` : "",
        `主办：${r.organisationName}${r.communityName ? `（${r.communityName}）` : ""}`,
        r.description,
      ].filter(Boolean);
      return `  <entry>
    <id>${xml(`${origin}/events/${r.eventId}`)}</id>
    <title>${xml(r.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(url)}"/>
    <published>${new Date(r.publishedAt).toISOString()}</published>
    <updated>${new Date(r.updatedAt).toISOString()}</updated>
    <author><name>${xml(r.organisationName)}</name></author>
    <category term="${xml(r.category)}" label="${xml(CATEGORY_ZH[r.category] ?? r.category)}"/>
    <content type="text">${xml(lines.join("\n"))}</content>
  </entry>`;
    });
    const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>${xml(`${origin}${self.pathname}${self.search}`)}</id>
  <title>${xml(name)}</title>
  <link rel="self" type="application/atom+xml" href="${xml(self.href)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${origin}/events`)}"/>
  <updated>${new Date(updated).toISOString()}</updated>
  <generator>Linli</generator>
${entries.join("\n")}
</feed>
`;
    return new Response(body, {
      headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=600" },
    });
  });
