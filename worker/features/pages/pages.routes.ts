/**
 * `/events` and `/events/{id}` as HTML for readers who are not signed in (events.pages.ts says
 * why). Signed-in readers get the app, as on every other page: their pages show what is theirs
 * (bookings, the people they act for), which the app draws. wrangler.toml sends these paths to the
 * Worker before the static assets.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
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

/** The built site's index.html (the app's shell), as the static assets serve it. */
function fetchShell(c: Context<AppEnv>): Promise<Response> {
  return c.env.ASSETS.fetch(new URL("/", c.req.url));
}

/**
 * The shell as it is: the app itself. Through the context, so what the request set on the way
 * (a refreshed session cookie) goes too.
 */
function asApp(c: Context<AppEnv>, shell: Response): Response {
  return c.newResponse(shell.body, { status: shell.status as StatusCode, headers: shell.headers });
}

/**
 * Draws a page into the shell — or, for a signed-in reader, answers with the app itself.
 * Should drawing fail (the database, say), the app answers instead and says what it can.
 */
async function drawn(
  c: Context<AppEnv>,
  draw: (ctx: PageContext) => Promise<DrawnPage & { status?: 200 | 404 }>,
): Promise<Response> {
  const [account, shell] = await Promise.all([currentAccount(c), fetchShell(c)]);
  // No built site (the Worker's own tests run before the build): nothing to draw into.
  if (account || !shell.ok) return asApp(c, shell);
  const preferences = parsePreferencesCookie(getCookie(c, PREFERENCES_COOKIE));
  const ctx = pageContext(preferences.locale, new URL(c.req.url).host, now());
  let page: DrawnPage & { status?: 200 | 404 };
  try {
    page = await draw(ctx);
  } catch (error) {
    console.error(`[${c.var.requestId}] drawing ${c.req.path} failed; the app answers instead`, error);
    return asApp(c, shell);
  }
  return c.html(
    fillShell(await shell.text(), { ...page, body: frame(ctx, page.body) }, preferences),
    page.status ?? 200,
  );
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
      body: calendarPage(ctx, search, calendar, communities),
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
        body: eventPage(ctx, found),
      };
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "NOT_FOUND") throw error;
      return {
        title: `${ctx.t("notFound.title")} · ${ctx.t("app.name")}`,
        body: notFoundPage(ctx),
        status: 404,
      };
    }
  });
}

/** Every answer here depends on the session and preference cookies, and places change by the minute. */
const uncached: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-cache");
  c.res.headers.set("Vary", "Cookie");
};

export const pageRoutes = new Hono<AppEnv>()
  // Only these paths (mounted at "/": the rest of the site is not this router's to change).
  .use("/events", uncached)
  .use("/events/*", uncached)
  .get("/events", calendar)
  .get("/events/", calendar)
  .get("/events/:id", event)
  // Anything deeper is no page of ours: the app says so, as it does for any unknown address.
  .get("/events/*", async (c) => asApp(c, await fetchShell(c)));
