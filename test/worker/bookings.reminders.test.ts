import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { REMINDER_OUTDATED, sendReminders } from "../../worker/features/bookings/reminders";
import { shanghaiDate, shanghaiTime } from "../../worker/lib/shanghai";
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
  db,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type BookingBody = { id: string; status: string; code: string };

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
  const inbox = await env.DB.prepare(
    "SELECT count(*) AS n FROM notifications WHERE dedupe_key LIKE ? AND link = ? AND account_id = ?",
  )
    .bind(`${kind}:${bookingId}:%`, `/bookings/${bookingId}`, account.id)
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

  it("writes the date beside 今天/明天, so the kept text stays right the next day", async () => {
    const now = Date.now();
    const person = await createAccount({ name: "冯大妈" });
    const { booking } = await bookAt(now + 23 * HOUR, person);
    await runScheduled(env, now);
    const inbox = await json<{ notifications: Array<{ kind: string; body: string }> }>(
      await call("/api/notifications", { cookie: person.cookie }),
    );
    const body = inbox.notifications.find((n) => n.kind === "reminder-24h")?.body ?? "";
    const date = shanghaiDate(now + 23 * HOUR);
    const day = date === shanghaiDate(now) ? "今天" : "明天";
    expect(body).toBe(
      `冯大妈：${date.slice(5, 7)}月${date.slice(8)}日（${day}）${shanghaiTime(now + 23 * HOUR)}“康复理疗”，签到码 ${booking.code}。`,
    );
  });

  it("tells a booking still waiting for confirmation that it is, without a check-in code", async () => {
    const { organisationId, staff: homeStaff } = await createOrgStaff("elderly_centre", community);
    const visits = await createOffering(homeStaff, organisationId, { title: "上门服务", requiresConfirmation: true });
    const startsAt = Date.now() + 20 * HOUR;
    const slotId = await createSlot(homeStaff, visits, { startsAt, capacity: 2 });
    const person = await createAccount();
    const booking = await json<BookingBody & { code: string }>(
      await book(person, { slotId, personId: person.personId }),
    );
    expect(booking.status).toBe("pending");
    await runScheduled(env, Date.now());
    // Its own template (a provider sending registered templates has no code to fill in).
    const sms = await env.DB.prepare(
      "SELECT body, params FROM outbox WHERE recipient = ? AND template = 'reminder-24h:pending'",
    )
      .bind(person.phone)
      .first<{ body: string; params: string }>();
    expect(sms?.body).toContain("预约尚待服务机构确认");
    expect(sms?.body).not.toContain(booking.code);
    expect(JSON.parse(sms?.params ?? "{}")).toEqual({
      person: `居民${person.phone.slice(-4)}`,
      offering: "上门服务",
      startsAt,
      status: "pending",
    });
  });

  it("reminds again when the slot is moved after its reminders went out", async () => {
    const now = Date.now();
    const { person, booking, slotId } = await bookAt(now + 90 * MINUTE);
    await runScheduled(env, now);
    expect(await sent("reminder-2h", booking.id, person)).toEqual({ inbox: 1, sms: 1 });
    const moved = await call(`/api/slots/${slotId}`, {
      method: "PATCH",
      cookie: staff.cookie,
      body: { startsAt: now + 6 * HOUR, endsAt: now + 7 * HOUR },
    });
    expect(moved.status).toBe(200);
    await runScheduled(env, now + 4.5 * HOUR);
    await runScheduled(env, now + 4.6 * HOUR);
    expect(await sent("reminder-2h", booking.id, person)).toEqual({ inbox: 2, sms: 2 });
  });

  it("a reminder text waiting to be sent again is not sent once its booking is cancelled, its slot called off or moved", async () => {
    const now = Date.now();
    // Three bookings reminded (queued, not yet delivered: the provider failed and will retry).
    const cancelled = await bookAt(now + 20 * HOUR);
    const calledOff = await bookAt(now + 21 * HOUR);
    const moved = await bookAt(now + 22 * HOUR);
    const kept = await bookAt(now + 23 * HOUR);
    // And an elder told only by text, on the slot that is called off.
    const elder = await createManagedPerson(community, "赵德明");
    await env.DB.prepare("UPDATE slots SET capacity = 2 WHERE id = ?").bind(calledOff.slotId).run();
    const byPhone = await call("/api/bookings", {
      cookie: staff.cookie,
      body: { slotId: calledOff.slotId, personId: elder, channel: "phone" },
    });
    expect(byPhone.status).toBe(201);
    expect(await sendReminders(db(), now)).toBe(5);
    // Their first sends failed: each waits some minutes to be tried again.
    await env.DB.prepare(
      "UPDATE outbox SET attempts = 1, due_at = ?, error = 'provider down' WHERE template = 'reminder-24h' AND status = 'queued'",
    )
      .bind(now + 10 * MINUTE)
      .run();
    const texts = async () =>
      (
        await env.DB.prepare(
          "SELECT id, recipient, status, error FROM outbox WHERE template = 'reminder-24h' AND (recipient IN (?, ?, ?, ?) OR body LIKE '%赵德明%')",
        )
          .bind(cancelled.person.phone, calledOff.person.phone, moved.person.phone, kept.person.phone)
          .all<{ id: string; recipient: string; status: string; error: string | null }>()
      ).results;
    expect((await texts()).map((t) => t.status)).toEqual(["queued", "queued", "queued", "queued", "queued"]);

    expect(
      (await call(`/api/bookings/${cancelled.booking.id}/cancel`, { cookie: cancelled.person.cookie, body: {} }))
        .status,
    ).toBe(200);
    expect((await call(`/api/slots/${calledOff.slotId}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    const newStart = now + 22.5 * HOUR;
    const patched = await call(`/api/slots/${moved.slotId}`, {
      method: "PATCH",
      cookie: staff.cookie,
      body: { startsAt: newStart, endsAt: newStart + HOUR },
    });
    expect(patched.status).toBe(200);
    // A longer session, same start: its reminder (keyed by the start) still stands.
    const longer = await call(`/api/slots/${kept.slotId}`, {
      method: "PATCH",
      cookie: staff.cookie,
      body: { endsAt: now + 23 * HOUR + 90 * MINUTE },
    });
    expect(longer.status).toBe(200);

    const after = await texts();
    const of = (phone: string) => after.filter((t) => t.recipient === phone).map((t) => [t.status, t.error]);
    const outdated = ["failed", REMINDER_OUTDATED];
    expect(of(cancelled.person.phone)).toEqual([outdated]);
    expect(of(calledOff.person.phone)).toEqual([outdated]);
    expect(after.filter((t) => t.id.startsWith("msg_reminder-24h:")).map((t) => [t.status, t.error])).toEqual([
      outdated,
    ]);
    expect(of(moved.person.phone)).toEqual([outdated]);
    expect(of(kept.person.phone)).toEqual([["queued", "provider down"]]);
    // The moved booking is reminded anew, with its new time.
    expect(await sendReminders(db(), now)).toBe(1);
    expect((await texts()).filter((t) => t.recipient === moved.person.phone).map((t) => t.status)).toEqual([
      "failed",
      "queued",
    ]);
  });

  it("texts a person with no account at their own mobile number, once; a landline gets nothing", async () => {
    const elder = await createManagedPerson(community, "钱老伯");
    const mobile = await env.DB.prepare("SELECT phone FROM persons WHERE id = ?")
      .bind(elder)
      .first<{ phone: string }>();
    const landline = await createManagedPerson(community, "孙老太");
    await env.DB.prepare("UPDATE persons SET phone = '022-26390101' WHERE id = ?").bind(landline).run();
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 20 * HOUR, capacity: 3 });
    for (const personId of [elder, landline]) {
      const res = await call("/api/bookings", { cookie: staff.cookie, body: { slotId, personId, channel: "phone" } });
      expect(res.status).toBe(201);
    }
    await runScheduled(env, Date.now());
    await runScheduled(env, Date.now());
    const texts = await env.DB.prepare(
      "SELECT recipient, body, expires_at FROM outbox WHERE template = 'reminder-24h' AND body LIKE ?",
    )
      .bind("%老%")
      .all<{ recipient: string; body: string; expires_at: number }>();
    expect(texts.results.map((t) => t.recipient)).toEqual([mobile?.phone]);
    // What the second run found sent: the text's own id (no second text, and no second read).
    expect(await sendReminders(db(), Date.now())).toBe(0);
    expect(texts.results[0]?.body).toMatch(/^【邻里】钱老伯：.*“康复理疗”，签到码 [A-Z2-9]{6}。$/);
    // Not sent once the service has begun.
    expect(texts.results[0]?.expires_at).toBeGreaterThan(Date.now());
  });

  it("does not text a number that is an account's: that account is told as its own links allow", async () => {
    const daughter = await createAccount();
    const elder = await createManagedPerson(community, "曹奶奶");
    // Staff noted the daughter's number as the elder's contact; the daughter acts for nobody.
    await env.DB.prepare("UPDATE persons SET phone = ? WHERE id = ?").bind(daughter.phone, elder).run();
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 20 * HOUR, capacity: 1 });
    expect(
      (await call("/api/bookings", { cookie: staff.cookie, body: { slotId, personId: elder, channel: "phone" } }))
        .status,
    ).toBe(201);
    await runScheduled(env, Date.now());
    const texts = await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE recipient = ?")
      .bind(daughter.phone)
      .first<{ n: number }>();
    expect(texts?.n).toBe(0);
  });

  it("a reminder's text is not sent once the service has begun (its expiry is the start)", async () => {
    const startsAt = Date.now() + 20 * HOUR;
    const { person } = await bookAt(startsAt);
    await runScheduled(env, Date.now());
    const row = await env.DB.prepare("SELECT expires_at FROM outbox WHERE recipient = ? AND template = 'reminder-24h'")
      .bind(person.phone)
      .first<{ expires_at: number }>();
    expect(row?.expires_at).toBe(startsAt);
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
