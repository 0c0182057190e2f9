/**
 * `/events` and `/events/{id}` as HTML for readers who are not signed in (events.pages.ts says
 * why). Signed-in readers get the app, as on every other page: their pages show what is theirs
 * (bookings, the people they act for), which the app draws. wrangler.toml sends these paths to the
 * Worker before the static assets.
 */
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { raw } from "hono/html";
import type { StatusCode } from "hono/utils/http-status";
import { EventsSearch, rangeOf } from "../../../web/lib/calendar";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import { calendarFor, eventFor } from "../events/events.routes";
import { listCommunities } from "../places/places.queries";
import { calendarPage, eventPage, frame, notFoundPage, type PageContext, pageContext } from "./events.pages";
import { PREFERENCES_COOKIE, parsePreferencesCookie } from "./preferences-cookie";
import { type DrawnPage, fillShell } from "./shell";

/**
 * The built site's index.html (the app's shell), as the static assets serve it: the app itself.
 * Through the context, so what the request set on the way (a refreshed session cookie) goes too.
 */
async function appShell(c: Context<AppEnv>): Promise<Response> {
  const response = await c.env.ASSETS.fetch(new URL("/", c.req.url));
  const headers = new Headers(response.headers);
  headers.set("Cache-Control", "no-cache");
  headers.set("Vary", "Cookie");
  return c.newResponse(response.body, { status: response.status as StatusCode, headers });
}

/**
 * Draws a page into the shell — or, for a signed-in reader, answers with the app itself. The
 * answer depends on the session and preference cookies, and its places change by the minute.
 * Should drawing fail (the database, say), the app answers instead and says what it can.
 */
async function drawn(
  c: Context<AppEnv>,
  draw: (ctx: PageContext) => Promise<DrawnPage & { status?: 200 | 404 }>,
): Promise<Response> {
  if (await currentAccount(c)) return appShell(c);
  const shellResponse = await c.env.ASSETS.fetch(new URL("/", c.req.url));
  // No built site (the Worker's own tests run before the build): nothing to draw into.
  if (!shellResponse.ok) return appShell(c);
  const preferences = parsePreferencesCookie(getCookie(c, PREFERENCES_COOKIE));
  const ctx = pageContext(preferences.locale, new URL(c.req.url).host, now());
  let page: DrawnPage & { status?: 200 | 404 };
  try {
    page = await draw(ctx);
  } catch (error) {
    console.error(`[${c.var.requestId}] drawing ${c.req.path} failed; the app answers instead`, error);
    return appShell(c);
  }
  const body = fillShell(
    await shellResponse.text(),
    { ...page, body: frame(ctx, raw(page.body)).toString() },
    preferences,
  );
  c.header("Cache-Control", "no-cache");
  c.header("Vary", "Cookie");
  return c.html(body, page.status ?? 200);
}

async function calendar(c: Context<AppEnv>) {
  return drawn(c, async (ctx) => {
    const search = EventsSearch.parse(Object.fromEntries(new URL(c.req.url).searchParams));
    const [calendar, communities] = await Promise.all([
      calendarFor(c.var.db, rangeOf(search)),
      listCommunities(c.var.db),
    ]);
    return {
      title: `${ctx.t("events.title")} · ${ctx.t("app.name")}`,
      description: ctx.t("events.lead"),
      body: calendarPage(ctx, search, calendar, communities).toString(),
    };
  });
}

async function event(c: Context<AppEnv>) {
  return drawn(c, async (ctx) => {
    try {
      const found = await eventFor(c, c.req.param("id") ?? "");
      return {
        title: `${found.title} · ${ctx.t("app.name")}`,
        description: found.description.slice(0, 160) || found.title,
        body: eventPage(ctx, found).toString(),
      };
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "NOT_FOUND") throw error;
      return {
        title: `${ctx.t("notFound.title")} · ${ctx.t("app.name")}`,
        body: notFoundPage(ctx).toString(),
        status: 404,
      };
    }
  });
}

export const pageRoutes = new Hono<AppEnv>()
  .get("/events", calendar)
  .get("/events/", calendar)
  .get("/events/:id", event)
  // Anything deeper is no page of ours: the app says so, as it does for any unknown address.
  .get("/events/*", appShell);
