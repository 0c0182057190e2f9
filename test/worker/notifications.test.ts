import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { notify } from "../../worker/features/notifications/notifications.queries";
import { DAY } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createOffering,
  createOrgStaff,
  createSlot,
  db,
  json,
  lastSms,
  linkProxy,
  type TestAccount,
} from "../factories";

type Notice = { id: string; kind: string; title: string; body: string; link: string | null; readAt: number | null };
type Inbox = { notifications: Notice[]; unread: number };

async function inbox(who: TestAccount) {
  const res = await call("/api/notifications", { cookie: who.cookie });
  expect(res.status).toBe(200);
  return json<Inbox>(res);
}

async function unreadOnMe(who: TestAccount) {
  return (await json<{ unreadNotifications: number }>(await call("/api/me", { cookie: who.cookie })))
    .unreadNotifications;
}

async function smsCount(phone: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE recipient = ?")
    .bind(phone)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

function notice(n: number, dedupeKey: string | null = null) {
  return { kind: "test", title: `通知${n}`, body: `内容${n}`, link: `/x/${n}`, dedupeKey };
}

describe("notify()", () => {
  it("delivers a dedupe key once per account, however many times (and however simultaneously) it is called", async () => {
    const [a, b] = await Promise.all([createAccount(), createAccount()]);
    const delivered = await Promise.all(
      Array.from({ length: 10 }, () =>
        notify(db(), [a.id, b.id, a.id], { ...notice(1, "once:1"), sms: true }, Date.now()),
      ),
    );
    expect(delivered.reduce((s, n) => s + n, 0)).toBe(2);
    expect((await inbox(a)).notifications).toHaveLength(1);
    expect((await inbox(b)).notifications).toHaveLength(1);
    expect(await smsCount(a.phone)).toBe(1);
    expect(await smsCount(b.phone)).toBe(1);
    expect(await lastSms(a.phone)).toBe("【邻里】内容1");
  });

  it("delivers every call without a key, texts only when asked, and skips empty targets", async () => {
    const me = await createAccount();
    expect(await notify(db(), [me.id, null, undefined], notice(1), Date.now())).toBe(1);
    expect(await notify(db(), [me.id], notice(1), Date.now())).toBe(1);
    expect(await notify(db(), [], notice(2, "k"), Date.now())).toBe(0);
    expect((await inbox(me)).notifications).toHaveLength(2);
    expect(await smsCount(me.phone)).toBe(0);
  });
});

describe("GET /api/notifications", () => {
  it("lists my inbox newest first with the unread count, which /api/me also shows", async () => {
    const me = await createAccount();
    const at = Date.now();
    await notify(db(), [me.id], notice(1), at - 2000);
    await notify(db(), [me.id], notice(2), at - 1000);
    await notify(db(), [me.id], notice(3), at);
    const list = await inbox(me);
    expect(list.unread).toBe(3);
    expect(list.notifications.map((n) => n.title)).toEqual(["通知3", "通知2", "通知1"]);
    expect(list.notifications[0]).toMatchObject({ kind: "test", body: "内容3", link: "/x/3", readAt: null });
    expect(await unreadOnMe(me)).toBe(3);
  });

  it("a booking my son made for me puts a notice in my inbox and raises unreadNotifications; not in his", async () => {
    const { organisationId, staff } = await createOrgStaff();
    const offeringId = await createOffering(staff, organisationId, { title: "助餐" });
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + DAY, capacity: 2 });
    const me = await createAccount({ name: "周桂芳" });
    const son = await createAccount();
    await linkProxy(son.id, me.personId, son.id);
    expect(await unreadOnMe(me)).toBe(0);
    const booking = await json<{ id: string; code: string }>(await book(son, { slotId, personId: me.personId }));
    expect(await unreadOnMe(me)).toBe(1);
    expect(await unreadOnMe(son)).toBe(0);
    const [n] = (await inbox(me)).notifications;
    expect(n).toMatchObject({ kind: "booking_created", link: `/bookings/${booking.id}` });
    expect(n?.body).toContain(booking.code);
    // What it is about travels with it, so the site can word it in English too.
    const startsAt = (
      await json<{ slot: { startsAt: number } }>(await call(`/api/bookings/${booking.id}`, { cookie: me.cookie }))
    ).slot.startsAt;
    expect((n as { params?: unknown }).params).toEqual({
      person: "周桂芳",
      offering: "助餐",
      startsAt,
      code: booking.code,
      status: "confirmed",
    });
    // A plain notice without params answers null.
    await notify(db(), [me.id], notice(9), Date.now());
    expect((await inbox(me)).notifications[0]).toMatchObject({ kind: "test", params: null });
  });

  it("shows only my own notices", async () => {
    const [me, other] = await Promise.all([createAccount(), createAccount()]);
    await notify(db(), [other.id], notice(1), Date.now());
    expect((await inbox(me)).notifications).toEqual([]);
  });
});

describe("marking notices read", () => {
  it("marks one notice read, then 404 for it again; read-all marks the rest", async () => {
    const me = await createAccount();
    for (const n of [1, 2, 3]) await notify(db(), [me.id], notice(n), Date.now());
    const [first] = (await inbox(me)).notifications;
    const res = await call(`/api/notifications/${first?.id}/read`, { cookie: me.cookie, method: "POST" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ marked: 1 });
    expect(await unreadOnMe(me)).toBe(2);
    expect((await call(`/api/notifications/${first?.id}/read`, { cookie: me.cookie, method: "POST" })).status).toBe(
      404,
    );

    const all = await call("/api/notifications/read-all", { cookie: me.cookie, method: "POST" });
    expect(await json(all)).toEqual({ marked: 2 });
    const after = await inbox(me);
    expect(after.unread).toBe(0);
    expect(after.notifications.every((n) => n.readAt !== null)).toBe(true);
  });

  it("someone else's notice is 404 and stays unread", async () => {
    const [me, other] = await Promise.all([createAccount(), createAccount()]);
    await notify(db(), [other.id], notice(1), Date.now());
    const [theirs] = (await inbox(other)).notifications;
    const res = await call(`/api/notifications/${theirs?.id}/read`, { cookie: me.cookie, method: "POST" });
    expect(res.status).toBe(404);
    expect((await call("/api/notifications/read-all", { cookie: me.cookie, method: "POST" })).status).toBe(200);
    expect((await inbox(other)).unread).toBe(1);
  });

  it("anonymous callers get 401", async () => {
    expect((await call("/api/notifications")).status).toBe(401);
    expect((await call("/api/notifications/read-all", { method: "POST" })).status).toBe(401);
    expect((await call("/api/notifications/ntf_x/read", { method: "POST" })).status).toBe(401);
  });
});
