import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromShanghai, shanghaiDate } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import { runScheduled } from "../../worker/scheduled";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createOrganisation,
  createOrgStaff,
  grantRole,
  inboxOf,
  json,
  type TestAccount,
} from "../factories";

type Occurrence = { id: string; startsAt: number; endsAt: number; capacity: number; taken: number; status: string };
type EventBody = {
  id: string;
  workflow: string;
  communityId: string | null;
  reviewNote: string | null;
  occurrences: Occurrence[];
  may: { edit: boolean; review: boolean; publishDirectly: boolean };
  signup: boolean;
};
type CalendarItem = { eventId: string; slotId: string; status: string; startsAt: number; communityId: string | null };

/** A Shanghai date `days` from today. */
const inDays = (days: number) => shanghaiDate(Date.now() + days * DAY);

/** A community with its staff, a community committee, and a social organisation based there. */
async function eventWorld() {
  const communityId = await createCommunity("活动社区");
  const reviewer = await createCommunityStaff(communityId);
  const committee = await createOrgStaff("community_committee", communityId);
  const social = await createOrgStaff("social_organisation", null);
  return { communityId, reviewer, committee, social };
}

function eventBody(organisationId: string, fields: Record<string, unknown> = {}) {
  return {
    organisationId,
    title: "重阳节书画展",
    description: "社区老年书画班作品展，欢迎参观",
    category: "culture",
    audience: "elderly",
    placeText: "社区活动室",
    contact: "王老师 022-84371234",
    capacity: 3,
    schedule: { date: inDays(5), start: "09:00", end: "11:00" },
    ...fields,
  };
}

async function createEvent(staff: TestAccount, body: Record<string, unknown>): Promise<EventBody> {
  const res = await call("/api/events", { cookie: staff.cookie, body });
  if (res.status !== 201) throw new Error(`event not created: ${res.status} ${await res.text()}`);
  return json<EventBody>(res);
}

/** A published event of the committee (it publishes directly). */
async function publishedEvent(fields: Record<string, unknown> = {}) {
  const world = await eventWorld();
  const event = await createEvent(world.committee.staff, eventBody(world.committee.organisationId, fields));
  const res = await call(`/api/events/${event.id}/submit`, { cookie: world.committee.staff.cookie, method: "POST" });
  expect(res.status).toBe(200);
  return { ...world, event: await json<EventBody>(res) };
}

async function calendar(query: string) {
  const res = await call(`/api/events?${query}`);
  expect(res.status).toBe(200);
  return json<{ items: CalendarItem[]; truncated: boolean }>(res);
}

describe("event workflow", () => {
  it("a social organisation's event waits for its community's staff: hidden, not bookable, until approved", async () => {
    const { communityId, reviewer, social } = await eventWorld();
    const event = await createEvent(social.staff, eventBody(social.organisationId, { communityId }));
    expect(event.workflow).toBe("draft");
    expect(event.communityId).toBe(communityId);
    expect(event.may.publishDirectly).toBe(false);
    const slotId = event.occurrences[0]?.id ?? "";

    const submitted = await call(`/api/events/${event.id}/submit`, { cookie: social.staff.cookie, method: "POST" });
    expect(submitted.status).toBe(200);
    expect((await json<EventBody>(submitted)).workflow).toBe("submitted");

    // Not published: the public, residents and the generic APIs see nothing of it.
    const resident = await createAccount();
    expect((await call(`/api/events/${event.id}`)).status).toBe(404);
    expect((await call(`/api/events/${event.id}`, { cookie: resident.cookie })).status).toBe(404);
    expect((await call(`/api/offerings/${event.id}`)).status).toBe(404);
    expect((await call(`/api/slots/${slotId}`)).status).toBe(404);
    expect((await call(`/api/offerings/${event.id}/slots`)).status).toBe(404);
    expect((await book(resident, { slotId, personId: resident.personId })).status).toBe(404);
    expect((await calendar(`from=${inDays(0)}&to=${inDays(10)}`)).items.some((i) => i.eventId === event.id)).toBe(
      false,
    );

    // The reviewer sees it in the queue and approves it.
    const queue = await json<{ events: Array<{ id: string }> }>(
      await call("/api/staff/events?view=queue", { cookie: reviewer.cookie }),
    );
    expect(queue.events.map((e) => e.id)).toContain(event.id);
    const seen = await json<EventBody>(await call(`/api/events/${event.id}`, { cookie: reviewer.cookie }));
    expect(seen.may.review).toBe(true);
    const approved = await call(`/api/events/${event.id}/approve`, { cookie: reviewer.cookie, method: "POST" });
    expect(approved.status).toBe(200);
    expect((await json<EventBody>(approved)).workflow).toBe("published");

    const publicView = await call(`/api/events/${event.id}`);
    expect(publicView.status).toBe(200);
    expect((await json<EventBody>(publicView)).may).toEqual({
      edit: false,
      review: false,
      publishDirectly: false,
      submit: false,
      cancel: false,
    });
    expect((await calendar(`from=${inDays(0)}&to=${inDays(10)}`)).items.map((i) => i.eventId)).toContain(event.id);
    expect((await book(resident, { slotId, personId: resident.personId })).status).toBe(201);
    // The organiser is told, and the approval is audited.
    expect((await inboxOf(social.staff)).map((n) => n.kind)).toContain("event_published");
    const audited = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'event.approve' AND subject_id = ? AND actor_account_id = ?",
    )
      .bind(event.id, reviewer.id)
      .first<{ n: number }>();
    expect(audited?.n).toBe(1);
  });

  it("staff of another community cannot see, approve or send back a submitted event (404)", async () => {
    const { communityId, social } = await eventWorld();
    const other = await createCommunityStaff(await createCommunity("别的社区"));
    const event = await createEvent(social.staff, eventBody(social.organisationId, { communityId }));
    await call(`/api/events/${event.id}/submit`, { cookie: social.staff.cookie, method: "POST" });
    expect((await call(`/api/events/${event.id}`, { cookie: other.cookie })).status).toBe(404);
    expect((await call(`/api/events/${event.id}/approve`, { cookie: other.cookie, method: "POST" })).status).toBe(404);
    const back = await call(`/api/events/${event.id}/send-back`, { cookie: other.cookie, body: { reason: "不行" } });
    expect(back.status).toBe(404);
    const queue = await json<{ events: Array<{ id: string }> }>(
      await call("/api/staff/events?view=queue", { cookie: other.cookie }),
    );
    expect(queue.events.map((e) => e.id)).not.toContain(event.id);
    // Nor can the organisation approve its own event, nor another organisation change it.
    expect(
      (await call(`/api/events/${event.id}/approve`, { cookie: social.staff.cookie, method: "POST" })).status,
    ).toBe(404);
    const stranger = await createOrgStaff("social_organisation");
    const patched = await call(`/api/events/${event.id}`, {
      cookie: stranger.staff.cookie,
      method: "PATCH",
      body: { title: "改名" },
    });
    expect(patched.status).toBe(404);
  });

  it("sent back with a reason, edited and submitted again", async () => {
    const { communityId, reviewer, social } = await eventWorld();
    const event = await createEvent(social.staff, eventBody(social.organisationId, { communityId }));
    await call(`/api/events/${event.id}/submit`, { cookie: social.staff.cookie, method: "POST" });
    const empty = await call(`/api/events/${event.id}/send-back`, { cookie: reviewer.cookie, body: { reason: " " } });
    expect(empty.status).toBe(400);
    const back = await call(`/api/events/${event.id}/send-back`, {
      cookie: reviewer.cookie,
      body: { reason: "请写明是否需要自带画具" },
    });
    expect(back.status).toBe(200);
    const sent = await json<EventBody>(back);
    expect(sent.workflow).toBe("sent_back");
    expect(sent.reviewNote).toBe("请写明是否需要自带画具");
    const notice = (await inboxOf(social.staff)).find((n) => n.kind === "event_sent_back");
    expect(notice?.body).toContain("请写明是否需要自带画具");
    // Approving what was sent back is a conflict until it is submitted again.
    expect((await call(`/api/events/${event.id}/approve`, { cookie: reviewer.cookie, method: "POST" })).status).toBe(
      409,
    );
    const edited = await call(`/api/events/${event.id}`, {
      cookie: social.staff.cookie,
      method: "PATCH",
      body: { description: "画具由社区提供" },
    });
    expect(edited.status).toBe(200);
    const again = await call(`/api/events/${event.id}/submit`, { cookie: social.staff.cookie, method: "POST" });
    expect((await json<EventBody>(again)).workflow).toBe("submitted");
  });

  it("community committees publish at once; a published event is changed only by those who may publish it", async () => {
    const { event, committee, social, communityId, reviewer } = await publishedEvent();
    expect(event.workflow).toBe("published");
    const edited = await call(`/api/events/${event.id}`, {
      cookie: committee.staff.cookie,
      method: "PATCH",
      body: { title: "重阳节书画展（延长）" },
    });
    expect(edited.status).toBe(200);

    // A social organisation's published event: its own staff may no longer change it; the reviewer may.
    const theirs = await createEvent(social.staff, eventBody(social.organisationId, { communityId }));
    await call(`/api/events/${theirs.id}/submit`, { cookie: social.staff.cookie, method: "POST" });
    await call(`/api/events/${theirs.id}/approve`, { cookie: reviewer.cookie, method: "POST" });
    const refused = await call(`/api/events/${theirs.id}`, {
      cookie: social.staff.cookie,
      method: "PATCH",
      body: { title: "擅自改名" },
    });
    expect(refused.status).toBe(403);
    const byReviewer = await call(`/api/events/${theirs.id}`, {
      cookie: reviewer.cookie,
      method: "PATCH",
      body: { contact: "李老师 13800001111" },
    });
    expect(byReviewer.status).toBe(200);
  });

  it("street admins publish street-wide events; others must name a community", async () => {
    const office = await createOrganisation("street_office");
    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    await grantRole(admin.id, "org_staff", { organisationId: office });
    const event = await createEvent(admin, eventBody(office, { communityId: null }));
    expect(event.communityId).toBeNull();
    const published = await call(`/api/events/${event.id}/submit`, { cookie: admin.cookie, method: "POST" });
    expect((await json<EventBody>(published)).workflow).toBe("published");
    // Street-wide events show in every community's calendar.
    const someCommunity = await createCommunity("任一社区");
    const items = (await calendar(`from=${inDays(0)}&to=${inDays(10)}&community=${someCommunity}`)).items;
    expect(items.map((i) => i.eventId)).toContain(event.id);

    const { social } = await eventWorld();
    const res = await call("/api/events", { cookie: social.staff.cookie, body: eventBody(social.organisationId) });
    expect(res.status).toBe(400);
  });

  it("refuses bad input with 4xx and events through the generic offerings API", async () => {
    const { committee } = await eventWorld();
    const org = committee.organisationId;
    const cookie = committee.staff.cookie;
    const bad = [
      { ...eventBody(org), placeText: null },
      { ...eventBody(org), capacity: null },
      { ...eventBody(org), signup: false },
      { ...eventBody(org), category: "party" },
      { ...eventBody(org), audience: "pets" },
      { ...eventBody(org), accessibility: ["step_free", "step_free"] },
      { ...eventBody(org), schedule: { date: "2026-02-30", start: "09:00", end: "11:00" } },
      { ...eventBody(org), schedule: { date: inDays(3), start: "11:00", end: "09:00" } },
      { ...eventBody(org), schedule: { date: inDays(-3), start: "09:00", end: "11:00" } },
      { ...eventBody(org), title: "" },
      { ...eventBody(org), extra: 1 },
    ];
    for (const body of bad) {
      const res = await call("/api/events", { cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await json<{ error: { code: string; requestId: string } }>(res);
      expect(error.error.requestId).toBeTruthy();
    }
    expect((await call("/api/events", { cookie, body: { ...eventBody(org), facilityId: "fac_none" } })).status).toBe(
      404,
    );
    const other = await createOrgStaff("social_organisation");
    expect((await call("/api/events", { cookie, body: eventBody(other.organisationId) })).status).toBe(403);
    expect((await call("/api/events", { body: eventBody(org) })).status).toBe(401);
    const generic = await call("/api/offerings", {
      cookie,
      body: { organisationId: org, kind: "event", title: "活动" },
    });
    expect(generic.status).toBe(400);
  });
});

describe("occurrences", () => {
  it("a weekly pattern makes one occurrence per date, at Shanghai time", async () => {
    const from = inDays(1);
    const { event } = await publishedEvent({
      schedule: {
        recurrence: { freq: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7] },
        from,
        until: inDays(7),
        start: "19:00",
        end: "20:30",
      },
    });
    expect(event.occurrences).toHaveLength(7);
    expect(event.occurrences[0]?.startsAt).toBe(fromShanghai(from, "19:00"));
    expect(event.occurrences.every((o) => (o.startsAt + 8 * 3_600_000) % DAY === 19 * 3_600_000)).toBe(true);
  });

  it("a monthly pattern on the 31st falls on each month's last day", async () => {
    const year = Number(inDays(0).slice(0, 4)) + 1;
    const { event } = await publishedEvent({
      schedule: {
        recurrence: { freq: "monthly", monthDay: 31 },
        from: `${year}-01-01`,
        until: `${year}-06-30`,
        start: "09:00",
        end: "10:00",
      },
    });
    expect(event.occurrences.map((o) => shanghaiDate(o.startsAt))).toEqual([
      `${year}-01-31`,
      `${year}-02-${year % 4 === 0 ? "29" : "28"}`,
      `${year}-03-31`,
      `${year}-04-30`,
      `${year}-05-31`,
      `${year}-06-30`,
    ]);
  });

  it("moving all following occurrences tells each person of their own new time; earlier ones stay", async () => {
    const { event, committee } = await publishedEvent({
      schedule: {
        recurrence: { freq: "weekly", weekdays: [6] },
        from: inDays(1),
        until: inDays(28),
        start: "09:00",
        end: "11:00",
      },
    });
    const [first, second, third] = event.occurrences;
    if (!first || !second || !third) throw new Error("expected occurrences");
    const early = await createAccount();
    const later = await createAccount();
    expect((await book(early, { slotId: first.id, personId: early.personId })).status).toBe(201);
    expect((await book(later, { slotId: third.id, personId: later.personId })).status).toBe(201);
    const res = await call(`/api/events/${event.id}/occurrences/${second.id}`, {
      cookie: committee.staff.cookie,
      method: "PATCH",
      body: { scope: "following", start: "14:00", end: "16:00" },
    });
    expect(res.status).toBe(200);
    const result = await json<{ changed: number; event: EventBody }>(res);
    expect(result.changed).toBe(event.occurrences.length - 1);
    const after = new Map(result.event.occurrences.map((o) => [o.id, o]));
    expect(after.get(first.id)?.startsAt).toBe(first.startsAt);
    expect(after.get(second.id)?.startsAt).toBe(fromShanghai(shanghaiDate(second.startsAt), "14:00"));
    expect(after.get(third.id)?.endsAt).toBe(fromShanghai(shanghaiDate(third.startsAt), "16:00"));
    const told = (await inboxOf(later)).find((n) => n.kind === "slot_changed");
    expect(told?.body).toContain(`${shanghaiDate(third.startsAt).slice(5).replace("-", "月")}日 14:00`);
    expect((await inboxOf(early)).some((n) => n.kind === "slot_changed")).toBe(false);
  });

  it("fewer places than taken leaves that occurrence unchanged; more places promote the waitlist", async () => {
    const { event, committee } = await publishedEvent({ capacity: 1 });
    const slotId = event.occurrences[0]?.id ?? "";
    const a = await createAccount();
    const b = await createAccount();
    expect((await book(a, { slotId, personId: a.personId })).status).toBe(201);
    const waiting = await json<{ status: string }>(await book(b, { slotId, personId: b.personId }));
    expect(waiting.status).toBe("waitlisted");
    const path = `/api/events/${event.id}/occurrences/${slotId}`;
    const cookie = committee.staff.cookie;
    const zero = await call(path, { cookie, method: "PATCH", body: { scope: "one", capacity: 0 } });
    expect(zero.status).toBe(400);
    const more = await call(path, { cookie, method: "PATCH", body: { scope: "one", capacity: 2 } });
    expect((await json<{ changed: number }>(more)).changed).toBe(1);
    expect((await inboxOf(b)).some((n) => n.kind === "waitlist_promoted")).toBe(true);
    const fewer = await json<{ changed: number; unchanged: string[] }>(
      await call(path, { cookie, method: "PATCH", body: { scope: "one", capacity: 1 } }),
    );
    expect(fewer.changed).toBe(0);
    expect(fewer.unchanged).toEqual([shanghaiDate(event.occurrences[0]?.startsAt ?? 0)]);
  });

  it("cancelling one occurrence or all following tells exactly the people signed up for them", async () => {
    const { event, committee } = await publishedEvent({
      schedule: {
        recurrence: { freq: "weekly", weekdays: [3] },
        from: inDays(1),
        until: inDays(35),
        start: "15:00",
        end: "16:00",
      },
    });
    const [first, second, third] = event.occurrences;
    if (!first || !second || !third) throw new Error("expected occurrences");
    const people = await Promise.all([createAccount(), createAccount(), createAccount()]);
    const slotsOf = [first, second, third];
    for (const [i, p] of people.entries()) {
      expect((await book(p, { slotId: slotsOf[i]?.id ?? "", personId: p.personId })).status).toBe(201);
    }
    const one = await call(`/api/events/${event.id}/occurrences/${first.id}/cancel`, {
      cookie: committee.staff.cookie,
      body: { scope: "one", reason: "场地维修" },
    });
    expect((await json<{ changed: number }>(one)).changed).toBe(1);
    const following = await call(`/api/events/${event.id}/occurrences/${second.id}/cancel`, {
      cookie: committee.staff.cookie,
      body: { scope: "following" },
    });
    expect((await json<{ changed: number }>(following)).changed).toBe(event.occurrences.length - 1);
    const [p1, p2, p3] = people;
    if (!p1 || !p2 || !p3) throw new Error("people");
    const n1 = (await inboxOf(p1)).filter((n) => n.kind === "slot_cancelled");
    expect(n1).toHaveLength(1);
    expect(n1[0]?.body).toContain("场地维修");
    const n3 = (await inboxOf(p3)).find((n) => n.kind === "slot_cancelled");
    expect(n3?.body).toContain(`${shanghaiDate(third.startsAt).slice(5).replace("-", "月")}日 15:00`);
    expect((await inboxOf(p2)).filter((n) => n.kind === "slot_cancelled")).toHaveLength(1);
    const again = await call(`/api/events/${event.id}/occurrences/${second.id}/cancel`, {
      cookie: committee.staff.cookie,
      body: { scope: "one" },
    });
    expect(again.status).toBe(409);
  });

  it("cancelling a published event calls off what is to come, tells everyone, and keeps it visible as cancelled", async () => {
    const { event, committee } = await publishedEvent();
    const slotId = event.occurrences[0]?.id ?? "";
    const resident = await createAccount();
    expect((await book(resident, { slotId, personId: resident.personId })).status).toBe(201);
    const outsider = await createOrgStaff("social_organisation");
    expect(
      (await call(`/api/events/${event.id}/cancel`, { cookie: outsider.staff.cookie, body: { reason: "x" } })).status,
    ).toBe(404);
    expect((await call(`/api/events/${event.id}/cancel`, { cookie: committee.staff.cookie, body: {} })).status).toBe(
      400,
    );
    const res = await call(`/api/events/${event.id}/cancel`, {
      cookie: committee.staff.cookie,
      body: { reason: "天气原因" },
    });
    expect(res.status).toBe(200);
    const cancelled = await json<EventBody>(res);
    expect(cancelled.workflow).toBe("cancelled");
    expect(cancelled.occurrences.every((o) => o.status === "cancelled")).toBe(true);
    expect((await inboxOf(resident)).find((n) => n.kind === "slot_cancelled")?.body).toContain("天气原因");
    const publicView = await call(`/api/events/${event.id}`);
    expect((await json<EventBody>(publicView)).workflow).toBe("cancelled");
    const item = (await calendar(`from=${inDays(0)}&to=${inDays(10)}`)).items.find((i) => i.eventId === event.id);
    expect(item?.status).toBe("cancelled");
    expect(
      (await call(`/api/events/${event.id}/cancel`, { cookie: committee.staff.cookie, body: { reason: "再" } })).status,
    ).toBe(409);
  });
});

describe("sign-up", () => {
  it("never takes more places than the occurrence has, however many sign up at once", async () => {
    const { event } = await publishedEvent({ capacity: 4, waitlist: false });
    const slotId = event.occurrences[0]?.id ?? "";
    const people = await Promise.all(Array.from({ length: 16 }, () => createAccount()));
    const answers = await Promise.all(people.map((p) => book(p, { slotId, personId: p.personId })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(4);
    expect(statuses.filter((s) => s === 409)).toHaveLength(12);
    const row = await env.DB.prepare("SELECT held_count AS held FROM slots WHERE id = ?")
      .bind(slotId)
      .first<{ held: number }>();
    expect(row?.held).toBe(4);
  });

  it("an event without sign-up takes no bookings", async () => {
    const { event } = await publishedEvent({ signup: false, capacity: null });
    expect(event.signup).toBe(false);
    const resident = await createAccount();
    const res = await book(resident, { slotId: event.occurrences[0]?.id ?? "", personId: resident.personId });
    expect(res.status).toBe(409);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("BOOKING_CLOSED");
  });
});

describe("public calendar", () => {
  it("lists published occurrences without sign-in, filtered by community, category, audience and dates", async () => {
    const { event, communityId } = await publishedEvent({ category: "science", audience: "children" });
    const base = `from=${inDays(0)}&to=${inDays(10)}`;
    expect((await calendar(`${base}&community=${communityId}`)).items.map((i) => i.eventId)).toContain(event.id);
    const elsewhere = await createCommunity("另一个社区");
    expect((await calendar(`${base}&community=${elsewhere}`)).items.map((i) => i.eventId)).not.toContain(event.id);
    expect((await calendar(`${base}&category=science`)).items.map((i) => i.eventId)).toContain(event.id);
    expect((await calendar(`${base}&category=sports`)).items.map((i) => i.eventId)).not.toContain(event.id);
    expect((await calendar(`${base}&audience=children`)).items.map((i) => i.eventId)).toContain(event.id);
    expect((await calendar(`${base}&audience=elderly`)).items.map((i) => i.eventId)).not.toContain(event.id);
    // An event for everyone is for children too.
    const forAll = await publishedEvent({ audience: "all" });
    expect((await calendar(`${base}&audience=children`)).items.map((i) => i.eventId)).toContain(forAll.event.id);
    expect((await calendar(`from=${inDays(6)}&to=${inDays(10)}`)).items.map((i) => i.eventId)).not.toContain(event.id);
    for (const q of [
      "from=2026-13-01",
      `from=${inDays(5)}&to=${inDays(1)}`,
      `from=${inDays(0)}&to=${inDays(120)}`,
      "category=x",
      "foo=1",
    ]) {
      expect((await call(`/api/events?${q}`)).status, q).toBe(400);
    }
  });

  it("shows an organiser their draft but nobody else", async () => {
    const { committee } = await eventWorld();
    const draft = await createEvent(committee.staff, eventBody(committee.organisationId));
    expect((await call(`/api/events/${draft.id}`, { cookie: committee.staff.cookie })).status).toBe(200);
    const mine = await json<{ events: Array<{ id: string; workflow: string }> }>(
      await call("/api/staff/events", { cookie: committee.staff.cookie }),
    );
    expect(mine.events.find((e) => e.id === draft.id)?.workflow).toBe("draft");
    const other = await createOrgStaff("social_organisation");
    expect((await call(`/api/events/${draft.id}`, { cookie: other.staff.cookie })).status).toBe(404);
    const mineOther = await json<{ events: Array<{ id: string }> }>(
      await call("/api/staff/events", { cookie: other.staff.cookie }),
    );
    expect(mineOther.events.map((e) => e.id)).not.toContain(draft.id);
  });
});

describe("attendance, ratings and statistics", () => {
  it("door check-in, completion when the event is over, a rating, and the organiser's statistics and CSV", async () => {
    const { event, committee } = await publishedEvent({ capacity: 5 });
    const slotId = event.occurrences[0]?.id ?? "";
    const came = await createAccount();
    const stayedAway = await createAccount();
    const booked = await json<{ id: string; code: string }>(await book(came, { slotId, personId: came.personId }));
    const missed = await json<{ id: string }>(await book(stayedAway, { slotId, personId: stayedAway.personId }));
    // The occurrence is under way.
    const now = Date.now();
    await env.DB.prepare("UPDATE slots SET starts_at = ?, ends_at = ? WHERE id = ?")
      .bind(now - 30 * 60_000, now + 30 * 60_000, slotId)
      .run();
    const cookie = committee.staff.cookie;
    const outsider = await createOrgStaff("community_committee");
    const foreign = await call("/api/bookings/check-in", {
      cookie: outsider.staff.cookie,
      body: { code: booked.code },
    });
    expect(foreign.status).toBe(404);
    expect((await call("/api/bookings/check-in", { cookie, body: { code: booked.code } })).status).toBe(200);
    expect((await call(`/api/bookings/${missed.id}/no-show`, { cookie, method: "POST" })).status).toBe(200);
    // Before it is over, the attendee cannot rate yet.
    const early = await call(`/api/bookings/${booked.id}/rating`, { cookie: came.cookie, body: { rating: 5 } });
    expect(early.status).toBe(409);
    await env.DB.prepare("UPDATE slots SET starts_at = ?, ends_at = ? WHERE id = ?")
      .bind(now - 90 * 60_000, now - 60_000, slotId)
      .run();
    await runScheduled(env, Date.now());
    const rated = await call(`/api/bookings/${booked.id}/rating`, {
      cookie: came.cookie,
      body: { rating: 4, comment: "讲得很好" },
    });
    expect(rated.status).toBe(200);
    // Someone else cannot rate it.
    expect(
      (await call(`/api/bookings/${booked.id}/rating`, { cookie: stayedAway.cookie, body: { rating: 1 } })).status,
    ).toBe(404);

    const from = shanghaiDate(now - DAY);
    const to = inDays(30);
    const stats = await json<{
      events: Array<{
        id: string;
        signedUp: number;
        attended: number;
        noShows: number;
        ratings: number;
        averageRating: number;
      }>;
      organisers: Array<{ organisationId: string; events: number; attended: number }>;
    }>(await call(`/api/staff/event-stats?from=${from}&to=${to}`, { cookie }));
    const mine = stats.events.find((e) => e.id === event.id);
    expect(mine).toMatchObject({ signedUp: 1, attended: 1, noShows: 1, ratings: 1, averageRating: 4 });
    expect(stats.organisers.find((o) => o.organisationId === committee.organisationId)).toMatchObject({
      events: 1,
      attended: 1,
    });
    const csv = await call(`/api/staff/event-stats.csv?from=${from}&to=${to}`, { cookie });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await csv.text();
    expect(text).toContain("event_id,title,organiser,occurrences,signed_up,attended,no_shows,ratings,average_rating");
    expect(text).toContain(`${event.id},`);
    // Another organisation's staff see none of it, and may not ask for this organisation's.
    const theirs = await json<{ events: Array<{ id: string }> }>(
      await call(`/api/staff/event-stats?from=${from}&to=${to}`, { cookie: outsider.staff.cookie }),
    );
    expect(theirs.events.map((e) => e.id)).not.toContain(event.id);
    const asked = await call(
      `/api/staff/event-stats?from=${from}&to=${to}&organisationId=${committee.organisationId}`,
      {
        cookie: outsider.staff.cookie,
      },
    );
    expect(asked.status).toBe(404);
    expect((await call(`/api/staff/event-stats?from=${to}&to=${from}`, { cookie })).status).toBe(400);
    const resident = await createAccount();
    expect((await call(`/api/staff/event-stats?from=${from}&to=${to}`, { cookie: resident.cookie })).status).toBe(403);
  });
});

describe("the event rules hold on every path", () => {
  it("occurrences of an event are not changed or cancelled through the generic slot routes", async () => {
    const { event, committee } = await publishedEvent();
    const slotId = event.occurrences[0]?.id ?? "";
    const cookie = committee.staff.cookie;
    const patched = await call(`/api/slots/${slotId}`, { cookie, method: "PATCH", body: { capacity: 50 } });
    expect(patched.status).toBe(409);
    expect((await call(`/api/slots/${slotId}/cancel`, { cookie, body: {} })).status).toBe(409);
    expect(
      (
        await call(`/api/offerings/${event.id}/slots`, {
          cookie,
          body: { startsAt: Date.now() + DAY, endsAt: Date.now() + DAY + 3_600_000, capacity: 3 },
        })
      ).status,
    ).toBe(409);
  });

  it("an event cancelled before it was ever published stays invisible", async () => {
    const { committee } = await eventWorld();
    const draft = await createEvent(committee.staff, eventBody(committee.organisationId));
    const res = await call(`/api/events/${draft.id}/cancel`, {
      cookie: committee.staff.cookie,
      body: { reason: "不办了" },
    });
    expect(res.status).toBe(200);
    expect((await call(`/api/events/${draft.id}`)).status).toBe(404);
    expect((await call(`/api/offerings/${draft.id}`)).status).toBe(404);
    expect((await call(`/api/offerings/${draft.id}/slots`)).status).toBe(404);
    expect((await call(`/api/slots/${draft.occurrences[0]?.id}`)).status).toBe(404);
  });

  it("what the reviewer approves is what they read: the organiser cannot edit while it waits", async () => {
    const { communityId, social, reviewer } = await eventWorld();
    const event = await createEvent(social.staff, eventBody(social.organisationId, { communityId }));
    await call(`/api/events/${event.id}/submit`, { cookie: social.staff.cookie, method: "POST" });
    const edit = await call(`/api/events/${event.id}`, {
      cookie: social.staff.cookie,
      method: "PATCH",
      body: { title: "悄悄改" },
    });
    expect(edit.status).toBe(403);
    const added = await call(`/api/events/${event.id}/occurrences`, {
      cookie: social.staff.cookie,
      body: { schedule: { date: inDays(9), start: "09:00", end: "10:00" }, capacity: 3 },
    });
    expect(added.status).toBe(403);
    // The reviewer may correct it before approving.
    const fixed = await call(`/api/events/${event.id}`, {
      cookie: reviewer.cookie,
      method: "PATCH",
      body: { contact: "社区 022-1" },
    });
    expect(fixed.status).toBe(200);
  });

  it("a series moved onto a time another occurrence of that day already has leaves that day as it was", async () => {
    const from = inDays(1);
    const { event, committee } = await publishedEvent({
      schedule: {
        recurrence: { freq: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7] },
        from,
        until: inDays(3),
        start: "09:00",
        end: "10:00",
      },
    });
    const cookie = committee.staff.cookie;
    const extra = await call(`/api/events/${event.id}/occurrences`, {
      cookie,
      body: { schedule: { date: inDays(2), start: "14:00", end: "15:00" }, capacity: 3 },
    });
    expect(extra.status).toBe(201);
    const first = event.occurrences[0];
    if (!first) throw new Error("occurrence");
    const res = await call(`/api/events/${event.id}/occurrences/${first.id}`, {
      cookie,
      method: "PATCH",
      body: { scope: "following", start: "14:00", end: "15:00" },
    });
    expect(res.status).toBe(200);
    const result = await json<{ changed: number; unchanged: string[] }>(res);
    expect(result.changed).toBe(2);
    expect(result.unchanged).toEqual([inDays(2)]);
  });

  it("refuses a pattern past 2099, a time and capacity change at once, and an unknown occurrence", async () => {
    const { committee, event } = await publishedEvent();
    const cookie = committee.staff.cookie;
    const far = await call("/api/events", {
      cookie,
      body: eventBody(committee.organisationId, {
        schedule: {
          recurrence: { freq: "weekly", weekdays: [1] },
          from: "9999-06-01",
          until: "9999-12-31",
          start: "09:00",
          end: "10:00",
        },
      }),
    });
    expect(far.status).toBe(400);
    const slotId = event.occurrences[0]?.id ?? "";
    const both = await call(`/api/events/${event.id}/occurrences/${slotId}`, {
      cookie,
      method: "PATCH",
      body: { scope: "one", start: "10:00", end: "11:00", capacity: 9 },
    });
    expect(both.status).toBe(400);
    const unknown = await call(`/api/events/${event.id}/occurrences/slt_none`, {
      cookie,
      method: "PATCH",
      body: { scope: "one", capacity: 9 },
    });
    expect(unknown.status).toBe(404);
  });
});
