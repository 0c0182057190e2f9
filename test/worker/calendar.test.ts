import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { proxyLinks } from "../../db/schema";
import {
  call,
  createAccount,
  createOrganisation,
  db,
  grantRole,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type Booking = { id: string; code: string; status: string };

let resident: TestAccount;
let bookingId: string;
let code: string;

beforeAll(async () => {
  const org = await createOrganisation("day_care_centre");
  const staff = await createAccount();
  await grantRole(staff.id, "org_staff", { organisationId: org });
  const offering = await json<{ id: string }>(
    await call("/api/offerings", {
      cookie: staff.cookie,
      body: { organisationId: org, kind: "care", title: "日间照料" },
    }),
  );
  const start = Date.now() + 2 * 86_400_000;
  const slot = await json<{ id: string }>(
    await call(`/api/offerings/${offering.id}/slots`, {
      cookie: staff.cookie,
      body: { startsAt: start, endsAt: start + 8 * 3_600_000, capacity: 5 },
    }),
  );
  resident = await createAccount({ name: "王秀英" });
  const booking = await json<Booking>(
    await call("/api/bookings", { cookie: resident.cookie, body: { slotId: slot.id, personId: resident.personId } }),
  );
  bookingId = booking.id;
  code = booking.code;
});

async function feedUrl(account: TestAccount): Promise<string> {
  const res = await call("/api/me/calendar-feed", { method: "POST", cookie: account.cookie });
  expect(res.status).toBe(201);
  const { url } = await json<{ url: string }>(res);
  return new URL(url).pathname;
}

describe("personal calendar feed", () => {
  it("serves my bookings as valid iCalendar without signing in", async () => {
    const path = await feedUrl(resident);
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await res.text();
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents("vevent");
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event?.getFirstPropertyValue("uid")).toBe(`${bookingId}@linli`);
    expect(event?.getFirstPropertyValue("dtstamp")).toBeTruthy();
    expect(String(event?.getFirstPropertyValue("summary"))).toContain("日间照料（王秀英）");
    expect(String(event?.getFirstPropertyValue("description"))).toContain(code);
  });

  it("stops working when reset or revoked, and an unknown token is 404", async () => {
    const first = await feedUrl(resident);
    const second = await feedUrl(resident);
    expect((await call(first)).status).toBe(404);
    expect((await call(second)).status).toBe(200);
    expect((await call("/api/me/calendar-feed", { method: "DELETE", cookie: resident.cookie })).status).toBe(200);
    expect((await call(second)).status).toBe(404);
    expect((await call("/api/calendar/not-a-token.ics")).status).toBe(400);
    expect((await call(`/api/calendar/${"a".repeat(32)}.ics`)).status).toBe(404);
  });

  it("needs a session to create a link", async () => {
    expect((await call("/api/me/calendar-feed", { method: "POST" })).status).toBe(401);
  });
});

describe("check-in QR code", () => {
  it("is an SVG for the booked person, 404 for anyone else", async () => {
    const res = await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: resident.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    expect(await res.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
    const stranger = await createAccount();
    expect((await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: stranger.cookie })).status).toBe(404);
  });

  it("follows the booking rule for proxies: a health-only link does not show the code", async () => {
    const helper = await createAccount();
    const linkId = await linkProxy(helper.id, resident.personId, helper.id);
    expect((await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: helper.cookie })).status).toBe(200);
    await db().update(proxyLinks).set({ scope: "health" }).where(eq(proxyLinks.id, linkId));
    expect((await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: helper.cookie })).status).toBe(404);
  });
});
