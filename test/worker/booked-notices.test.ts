import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newCode } from "../../worker/features/bookings/bookings.queries";
import { newId } from "../../worker/lib/ids";
import { DAY } from "../../worker/lib/time";
import {
  book,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  inboxOf,
  json,
  linkProxy,
} from "../factories";

// The notice about a booking just made is written by the bookings trigger (migrations 0008, 0009),
// inside the statement that inserts the booking, whichever way it was made — to the person it is
// for, when someone else made it.

type Row = { id: string; account_id: string; kind: string; title: string; body: string; link: string; params: string };
type Made = { id: string; code: string; status: string };

async function noticesAbout(bookingId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, account_id, kind, title, body, link, params FROM notifications WHERE link = ? ORDER BY id",
  )
    .bind(`/bookings/${bookingId}`)
    .all<Row>();
  return results;
}

/** "03月05日 09:05": the slot's start in Shanghai, as the site and the other notices word it. */
function shanghai(at: number) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Shanghai",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

async function service(capacity: number, fields: Record<string, unknown> = {}) {
  const { organisationId, staff } = await createOrgStaff();
  const title = `助浴${newId("t").slice(-4)}`;
  const offeringId = await createOffering(staff, organisationId, { title, ...fields });
  // Minutes that are not round, so the time in the wording is really the slot's.
  const startsAt = Math.floor((Date.now() + DAY) / 60_000) * 60_000 + 17 * 60_000;
  const slotId = await createSlot(staff, offeringId, { startsAt, capacity });
  return { staff, title, slotId, startsAt };
}

describe("booked notices (the bookings trigger)", () => {
  it("a daughter booking for her mother: the mother is told, worded with the slot's Shanghai time and the code; the daughter is not", async () => {
    const { title, slotId, startsAt } = await service(3);
    const daughter = await createAccount({ name: "李晓梅" });
    const mother = await createAccount({ name: "张桂兰" });
    await linkProxy(daughter.id, mother.personId, daughter.id);
    const res = await book(daughter, { slotId, personId: mother.personId });
    expect(res.status).toBe(201);
    const made = await json<Made>(res);
    const [notice, ...more] = await noticesAbout(made.id);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ account_id: mother.id, kind: "booking_created", title: "预约成功" });
    expect(notice?.body).toBe(`张桂兰：“${title}”${shanghai(startsAt)}，签到码 ${made.code}。`);
    expect(JSON.parse(notice?.params ?? "{}")).toEqual({
      person: "张桂兰",
      offering: title,
      startsAt,
      code: made.code,
      status: "confirmed",
    });
    // The mother sees it in her inbox; the daughter, who just booked it, has nothing new.
    expect((await inboxOf(mother)).map((n) => n.link)).toContain(`/bookings/${made.id}`);
    expect(await inboxOf(daughter)).toEqual([]);
  });

  it("waitlisted and pending are worded as such", async () => {
    const { slotId } = await service(1);
    const daughter = await createAccount();
    const mother = await createAccount({ name: "王秀英" });
    await linkProxy(daughter.id, mother.personId, daughter.id);
    const someone = await createAccount();
    expect((await book(someone, { slotId, personId: someone.personId })).status).toBe(201);
    const waiting = await json<Made>(await book(daughter, { slotId, personId: mother.personId }));
    expect(waiting.status).toBe("waitlisted");
    const [notice, ...more] = await noticesAbout(waiting.id);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ account_id: mother.id, kind: "booking_waitlisted", title: "已加入候补" });
    expect(notice?.body).toMatch(/^王秀英：“.+”\d\d月\d\d日 \d\d:\d\d，已加入候补，有名额时会通知您。$/);
    expect(JSON.parse(notice?.params ?? "{}")).not.toHaveProperty("code");

    const confirm = await service(2, { requiresConfirmation: true });
    const pending = await json<Made>(await book(daughter, { slotId: confirm.slotId, personId: mother.personId }));
    expect(pending.status).toBe("pending");
    expect(await noticesAbout(pending.id)).toMatchObject([
      { account_id: mother.id, kind: "booking_created", title: "预约待确认" },
    ]);
  });

  it("booking for oneself tells nobody: confirmed, waitlisted or pending", async () => {
    const { slotId } = await service(1);
    const [first, second] = await Promise.all([createAccount(), createAccount()]);
    const placed = await json<Made>(await book(first, { slotId, personId: first.personId }));
    expect(placed.status).toBe("confirmed");
    const waiting = await json<Made>(await book(second, { slotId, personId: second.personId }));
    expect(waiting.status).toBe("waitlisted");
    const confirm = await service(2, { requiresConfirmation: true });
    const pending = await json<Made>(await book(first, { slotId: confirm.slotId, personId: first.personId }));
    expect(pending.status).toBe("pending");
    for (const made of [placed, waiting, pending]) expect(await noticesAbout(made.id)).toEqual([]);
  });

  it("staff taking a phone call: the caller's own account is told, the staff member is not; nobody for a managed person", async () => {
    const { staff, slotId } = await service(5);
    const caller = await createAccount({ name: "陈建国" });
    const res = await book(staff, { slotId, personId: caller.personId, channel: "phone" });
    expect(res.status).toBe(201);
    const made = await json<Made>(res);
    expect((await noticesAbout(made.id)).map((n) => n.account_id)).toEqual([caller.id]);

    const managed = await createManagedPerson(await createCommunity());
    const walkIn = await json<Made>(await book(staff, { slotId, personId: managed, channel: "walk_in" }));
    expect(await noticesAbout(walkIn.id)).toEqual([]);
  });

  it("nothing for a refused booking, nor for a booking written as history", async () => {
    const { slotId } = await service(1, { waitlist: false });
    const [a, daughter, b] = await Promise.all([createAccount(), createAccount(), createAccount()]);
    await linkProxy(daughter.id, b.personId, daughter.id);
    expect((await book(a, { slotId, personId: a.personId })).status).toBe(201);
    // Refused: had it been made, b would have been told.
    const refused = await book(daughter, { slotId, personId: b.personId });
    expect(refused.status).toBe(409);
    const { n: forB } = (await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE account_id = ?")
      .bind(b.id)
      .first<{ n: number }>()) ?? { n: -1 };
    expect(forB).toBe(0);

    // A completed booking loaded as history (e.g. an import) tells nobody anything.
    const slot = await env.DB.prepare("SELECT offering_id FROM slots WHERE id = ?")
      .bind(slotId)
      .first<{ offering_id: string }>();
    const history = newId("bkg");
    await env.DB.prepare(
      `INSERT INTO bookings (id, slot_id, offering_id, person_id, actor_account_id, actor_role, channel, status, code,
                             created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'proxy', 'app', 'completed', ?, ?, ?)`,
    )
      .bind(history, slotId, slot?.offering_id, b.personId, daughter.id, newCode(), Date.now(), Date.now())
      .run();
    expect(await noticesAbout(history)).toEqual([]);
  });
});
