import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE } from "../../worker/lib/time";
import { runScheduled } from "../../worker/scheduled";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type BookingBody = { id: string; status: string };

let community: string;
let staff: TestAccount;
let offeringId: string;

beforeEach(async () => {
  community = await createCommunity();
  let organisationId: string;
  ({ organisationId, staff } = await createOrgStaff("day_care_centre", community));
  offeringId = await createOffering(staff, organisationId, { title: "康复理疗" });
});

async function bookAt(startsAt: number, who?: TestAccount) {
  const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 1 });
  const person = who ?? (await createAccount());
  const booking = await json<BookingBody>(await book(person, { slotId, personId: person.personId }));
  return { person, booking, slotId };
}

/** Inbox rows and SMS sent to an account for a reminder kind of one booking. */
async function sent(kind: "reminder-24h" | "reminder-2h", bookingId: string, account: TestAccount) {
  const inbox = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE dedupe_key = ? AND account_id = ?")
    .bind(`${kind}:${bookingId}`, account.id)
    .first<{ n: number }>();
  const sms = await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE template = ? AND recipient = ?")
    .bind(kind, account.phone)
    .first<{ n: number }>();
  return { inbox: inbox?.n ?? 0, sms: sms?.n ?? 0 };
}

describe("booking reminders (cron)", () => {
  it("sends the day-before and two-hour reminders exactly once over repeated and simultaneous runs", async () => {
    const now = Date.now();
    const tomorrow = await bookAt(now + 23 * HOUR);
    const soon = await bookAt(now + 90 * MINUTE);
    const later = await bookAt(now + 3 * DAY);

    await runScheduled(env, Date.now());
    await runScheduled(env, Date.now());
    await Promise.all([runScheduled(env, Date.now()), runScheduled(env, Date.now())]);

    expect(await sent("reminder-24h", tomorrow.booking.id, tomorrow.person)).toEqual({ inbox: 1, sms: 1 });
    expect(await sent("reminder-2h", tomorrow.booking.id, tomorrow.person)).toEqual({ inbox: 0, sms: 0 });
    expect(await sent("reminder-2h", soon.booking.id, soon.person)).toEqual({ inbox: 1, sms: 1 });
    expect(await sent("reminder-24h", soon.booking.id, soon.person)).toEqual({ inbox: 0, sms: 0 });
    expect(await sent("reminder-24h", later.booking.id, later.person)).toEqual({ inbox: 0, sms: 0 });
    expect(await sent("reminder-2h", later.booking.id, later.person)).toEqual({ inbox: 0, sms: 0 });

    const inbox = await json<{ notifications: Array<{ kind: string; body: string; link: string }> }>(
      await call("/api/notifications", { cookie: tomorrow.person.cookie }),
    );
    const reminder = inbox.notifications.find((n) => n.kind === "reminder-24h");
    expect(reminder?.link).toBe(`/bookings/${tomorrow.booking.id}`);
    expect(reminder?.body).toContain("康复理疗");
  });

  it("the first simultaneous runs both race for the same reminders and still send one each", async () => {
    const now = Date.now();
    const { person, booking } = await bookAt(now + 23 * HOUR);
    await Promise.all(Array.from({ length: 4 }, () => runScheduled(env, now)));
    expect(await sent("reminder-24h", booking.id, person)).toEqual({ inbox: 1, sms: 1 });
  });

  it("a later run sends the two-hour reminder of tomorrow's booking once, and not the day-before one again", async () => {
    const now = Date.now();
    const { person, booking } = await bookAt(now + 23 * HOUR);
    await runScheduled(env, now);
    await runScheduled(env, now + 21.5 * HOUR);
    await runScheduled(env, now + 21.75 * HOUR);
    expect(await sent("reminder-24h", booking.id, person)).toEqual({ inbox: 1, sms: 1 });
    expect(await sent("reminder-2h", booking.id, person)).toEqual({ inbox: 1, sms: 1 });
  });

  it("reminds the proxy of a person without an account", async () => {
    const elder = await createManagedPerson(community);
    const child = await createAccount();
    await linkProxy(child.id, elder, staff.id);
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 20 * HOUR, capacity: 1 });
    const booking = await json<BookingBody>(await book(child, { slotId, personId: elder }));
    await runScheduled(env, Date.now());
    await runScheduled(env, Date.now());
    expect(await sent("reminder-24h", booking.id, child)).toEqual({ inbox: 1, sms: 1 });
  });

  it("reminds neither the waitlisted nor anyone on a cancelled slot", async () => {
    const now = Date.now();
    const { slotId } = await bookAt(now + 23 * HOUR);
    const waiting = await createAccount();
    const queued = await json<BookingBody>(await book(waiting, { slotId, personId: waiting.personId }));
    expect(queued.status).toBe("waitlisted");
    const dropped = await bookAt(now + 22 * HOUR);
    await call(`/api/slots/${dropped.slotId}/cancel`, { cookie: staff.cookie, body: {} });

    await runScheduled(env, Date.now());
    expect(await sent("reminder-24h", queued.id, waiting)).toEqual({ inbox: 0, sms: 0 });
    expect(await sent("reminder-24h", dropped.booking.id, dropped.person)).toEqual({ inbox: 0, sms: 0 });
  });
});
