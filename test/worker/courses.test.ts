import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { shanghaiDate } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createAccounts,
  createCommunity,
  createCommunityStaff,
  createManagedPerson,
  createOrgStaff,
  inboxOf,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type Session = { id: string; seq: number; startsAt: number; endsAt: number; status: string };
type Course = {
  id: string;
  slotId: string;
  seats: number;
  seatsLeft: number;
  sessionCount: number;
  sessions: Session[];
  onlineLink: string | null;
  mine: Array<{
    bookingId: string;
    personId: string;
    status: string;
    attended: number;
    certificate: { id: string; number: string } | null;
  }>;
  canManage: boolean;
};
type Roster = {
  needed: number;
  enrolments: Array<{
    bookingId: string;
    personName: string;
    phoneMasked: string | null;
    status: string;
    present: string[];
    certificateNumber: string | null;
  }>;
};

const inDays = (days: number) => shanghaiDate(Date.now() + days * DAY);

function courseBody(organisationId: string, fields: Record<string, unknown> = {}) {
  return {
    organisationId,
    title: "智能手机入门：手机预约挂号",
    description: "教老年朋友用手机预约社区服务和挂号",
    category: "digital_seniors",
    mode: "mixed",
    placeText: "老年学校201教室",
    onlineLink: "https://meeting.example.cn/j/123456",
    eligibility: "金钟街60岁以上居民",
    seats: 4,
    waitlist: true,
    completionPercent: 60,
    certificate: true,
    contact: "马老师 022-26391502",
    schedule: { dates: [0, 1, 2].map((i) => ({ date: inDays(3 + i), start: "09:00", end: "10:30" })) },
    ...fields,
  };
}

async function createCourse(staff: TestAccount, body: Record<string, unknown>): Promise<Course> {
  const res = await call("/api/courses", { cookie: staff.cookie, body });
  if (res.status !== 201) throw new Error(`course not created: ${res.status} ${await res.text()}`);
  return json<Course>(res);
}

async function readCourse(id: string, who?: TestAccount): Promise<Course> {
  const res = await call(`/api/courses/${id}`, who ? { cookie: who.cookie } : {});
  expect(res.status).toBe(200);
  return json<Course>(res);
}

/** A training school with its staff member and a published course. */
async function courseWorld(fields: Record<string, unknown> = {}) {
  const school = await createOrgStaff("training_school", null);
  const course = await createCourse(school.staff, courseBody(school.organisationId, fields));
  return { school, course };
}

/** Moves the course's sessions `days` days (negative: into the past), as if time had passed. */
async function shiftSessions(courseId: string, days: number) {
  await env.DB.batch(
    ["course_sessions", "slots"].map((table) =>
      // The enrolment slot spans the sessions: it moves with them.
      env.DB.prepare(
        `UPDATE ${table} SET starts_at = starts_at + ?1, ends_at = ends_at + ?1 WHERE offering_id = ?2`,
      ).bind(days * DAY, courseId),
    ),
  );
}

async function mark(staff: TestAccount, course: Course, session: Session, present: string[], absent: string[] = []) {
  return call(`/api/courses/${course.id}/sessions/${session.id}/attendance`, {
    method: "PUT",
    cookie: staff.cookie,
    body: { present, absent },
  });
}

describe("publishing a course", () => {
  it("makes one enrolment and its sessions from a pattern, leaving out holidays", async () => {
    const school = await createOrgStaff("training_school", null);
    const from = inDays(2);
    const course = await createCourse(
      school.staff,
      courseBody(school.organisationId, {
        schedule: {
          recurrence: { freq: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7] },
          from,
          until: inDays(8),
          start: "14:00",
          end: "15:30",
          skipDates: [inDays(4)],
        },
      }),
    );
    expect(course.sessionCount).toBe(6);
    expect(course.sessions.map((s) => shanghaiDate(s.startsAt))).not.toContain(inDays(4));
    expect(course.sessions.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(course).toMatchObject({ seats: 4, seatsLeft: 4, canManage: true });

    const list = await json<{ courses: Array<{ id: string }> }>(await call("/api/courses?category=digital_seniors"));
    expect(list.courses.map((c) => c.id)).toContain(course.id);
    // The class link only for those enrolled and the course's staff.
    expect(course.onlineLink).toBe("https://meeting.example.cn/j/123456");
    expect((await readCourse(course.id)).onlineLink).toBeNull();
    expect((await readCourse(course.id, await createAccount())).onlineLink).toBeNull();
  });

  it("refuses overlapping sessions, a course already begun, and bad fields", async () => {
    const school = await createOrgStaff("training_school", null);
    const cases: Array<Record<string, unknown>> = [
      {
        schedule: {
          dates: [
            { date: inDays(3), start: "09:00", end: "11:00" },
            { date: inDays(3), start: "10:00", end: "12:00" },
          ],
        },
      },
      { schedule: { dates: [{ date: inDays(-1), start: "09:00", end: "10:00" }] } },
      {
        schedule: {
          recurrence: { freq: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7] },
          from: inDays(3),
          until: inDays(3),
          start: "09:00",
          end: "10:00",
          skipDates: [inDays(3)],
        },
      },
      { schedule: { dates: [{ date: inDays(3), start: "10:00", end: "09:00" }] } },
      { mode: "online", onlineLink: null },
      { onlineLink: "http://insecure.example.cn/j/1" },
      { mode: "in_person", placeText: null, onlineLink: null },
      { seats: 0 },
      { completionPercent: 0 },
      { schedule: { dates: [{ date: "9999-01-01", start: "09:00", end: "10:00" }] } },
      {
        schedule: {
          dates: [
            { date: inDays(3), start: "09:00", end: "10:00" },
            { date: inDays(70), start: "09:00", end: "10:00" },
          ],
        },
      },
      { category: "astrology" },
      { title: "" },
      { facilityId: "fac_nowhere" },
    ];
    for (const fields of cases) {
      const res = await call("/api/courses", {
        cookie: school.staff.cookie,
        body: courseBody(school.organisationId, fields),
      });
      expect([400, 404], JSON.stringify(fields)).toContain(res.status);
      const body = await json<{ error: { code: string; requestId: string } }>(res);
      expect(body.error.requestId).toBeTruthy();
    }
    const mine = await json<{ courses: unknown[] }>(await call("/api/staff/courses", { cookie: school.staff.cookie }));
    expect(mine.courses).toEqual([]);
  });

  it("is changed only through /api/courses: the generic offering and slot paths refuse it", async () => {
    const { school, course } = await courseWorld();
    const patch = await call(`/api/offerings/${course.id}`, {
      method: "PATCH",
      cookie: school.staff.cookie,
      body: { title: "改名" },
    });
    expect(patch.status).toBe(409);
    const slot = await call(`/api/slots/${course.slotId}/cancel`, { cookie: school.staff.cookie, body: {} });
    expect(slot.status).toBe(409);
  });
});

describe("enrolment", () => {
  it("one enrolment covers every session; the class link shows once enrolled, also to a proxy", async () => {
    const { course } = await courseWorld();
    const resident = await createAccount();
    const res = await book(resident, { slotId: course.slotId, personId: resident.personId });
    expect(res.status).toBe(201);
    const read = await readCourse(course.id, resident);
    expect(read.onlineLink).toBe("https://meeting.example.cn/j/123456");
    expect(read.mine).toMatchObject([
      { personId: resident.personId, status: "confirmed", attended: 0, certificate: null },
    ]);
    expect(read.seatsLeft).toBe(3);

    // A daughter enrols her mother; she sees the link for her.
    const communityId = await createCommunity();
    const staff = await createCommunityStaff(communityId);
    const mother = await createManagedPerson(communityId, "赵桂芬");
    const daughter = await createAccount();
    await linkProxy(daughter.id, mother, staff.id);
    expect((await book(daughter, { slotId: course.slotId, personId: mother })).status).toBe(201);
    const forMother = await readCourse(course.id, daughter);
    expect(forMother.onlineLink).not.toBeNull();
    expect(forMother.mine.map((m) => m.personId)).toEqual([mother]);

    // Enrolling the same person twice: refused.
    expect((await book(resident, { slotId: course.slotId, personId: resident.personId })).status).toBe(409);
  });

  it("never gives more seats than the course has, whatever arrives at once", async () => {
    const { course } = await courseWorld({ seats: 4, waitlist: false });
    const residents = await createAccounts(16);
    const answers = await Promise.all(residents.map((r) => book(r, { slotId: course.slotId, personId: r.personId })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(4);
    expect(statuses.filter((s) => s === 409)).toHaveLength(12);
    const after = await readCourse(course.id);
    expect(after.seatsLeft).toBe(0);
    const [slot] = (
      await env.DB.prepare(
        "SELECT held_count AS held, (SELECT count(*) FROM bookings WHERE slot_id = ?1 AND status = 'confirmed') AS confirmed FROM slots WHERE id = ?1",
      )
        .bind(course.slotId)
        .all<{ held: number; confirmed: number }>()
    ).results;
    expect(slot).toEqual({ held: 4, confirmed: 4 });
  });
});

describe("attendance and completion", () => {
  it("completes those who attended enough sessions, with a verifiable certificate", async () => {
    const { school, course } = await courseWorld({ completionPercent: 60 });
    const [ann, bob, cat] = await createAccounts(3);
    if (!ann || !bob || !cat) throw new Error("accounts");
    const bookingOf = async (who: TestAccount) => {
      const res = await book(who, { slotId: course.slotId, personId: who.personId });
      expect(res.status).toBe(201);
      return (await json<{ id: string }>(res)).id;
    };
    const [a, b] = [await bookingOf(ann), await bookingOf(bob)];
    const [s1, s2, s3] = course.sessions;
    if (!s1 || !s2 || !s3) throw new Error("sessions");

    // Not before a session begins.
    expect((await mark(school.staff, course, s1, [a])).status).toBe(409);
    // Closing before the last session: refused.
    expect(
      (await call(`/api/courses/${course.id}/complete`, { cookie: school.staff.cookie, method: "POST" })).status,
    ).toBe(409);

    await shiftSessions(course.id, -10);
    expect((await mark(school.staff, course, s1, [a, b])).status).toBe(200);
    expect((await mark(school.staff, course, s2, [a], [b])).status).toBe(200);
    // Marked again: the last mark counts.
    expect((await mark(school.staff, course, s3, [a, b])).status).toBe(200);
    const fixed = await mark(school.staff, course, s3, [a], [b]);
    const roster = await json<Roster>(fixed);
    expect(roster.needed).toBe(2); // 60 % of 3 sessions, rounded up
    expect(roster.enrolments.find((e) => e.bookingId === a)?.present).toHaveLength(3);
    expect(roster.enrolments.find((e) => e.bookingId === b)?.present).toEqual([s1.id]);
    expect(roster.enrolments[0]?.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);

    // Bad marks: someone not enrolled, a name twice, nobody.
    expect((await mark(school.staff, course, s1, ["bkg_nobody"])).status).toBe(400);
    expect((await mark(school.staff, course, s1, [a], [a])).status).toBe(400);
    expect((await mark(school.staff, course, s1, [])).status).toBe(400);

    const closed = await call(`/api/courses/${course.id}/complete`, { cookie: school.staff.cookie, method: "POST" });
    expect(await json(closed)).toEqual({ completed: 1, notCompleted: 1, certificates: 1 });
    expect(
      (await call(`/api/courses/${course.id}/complete`, { cookie: school.staff.cookie, method: "POST" })).status,
    ).toBe(409);
    // No marks after closing.
    expect((await mark(school.staff, course, s1, [b])).status).toBe(409);

    const annView = await readCourse(course.id, ann);
    const [enrolment] = annView.mine;
    expect(enrolment).toMatchObject({ status: "completed", attended: 3 });
    const certificate = enrolment?.certificate;
    if (!certificate) throw new Error("no certificate");
    expect(certificate.number).toMatch(/^JZT-\d{4}-[0-9A-F]{5}-[0-9A-F]{5}$/);
    expect((await readCourse(course.id, bob)).mine).toMatchObject([{ status: "no_show", certificate: null }]);
    expect((await inboxOf(ann))[0]).toMatchObject({ kind: "course_completed", link: `/bookings/${a}` });
    expect((await inboxOf(bob)).map((n) => n.kind)).not.toContain("course_completed");

    // Anyone checks the number; the name is masked.
    const check = await json<{ nameMasked: string }>(
      await call(`/api/course-certificates/verify/${certificate.number}`),
    );
    expect(check).toMatchObject({
      number: certificate.number,
      status: "valid",
      courseTitle: "智能手机入门：手机预约挂号",
      sessionsAttended: 3,
      sessionsHeld: 3,
    });
    expect(check.nameMasked).toMatch(/^居\*+$/);
    expect((await call("/api/course-certificates/verify/JZT-2026-00000-00000")).status).toBe(404);

    // The PDF for its holder and the course's staff; nobody else.
    const pdf = await call(`/api/course-certificates/${certificate.id}/certificate.pdf`, { cookie: ann.cookie });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    expect(
      (await call(`/api/course-certificates/${certificate.id}/certificate.pdf`, { cookie: school.staff.cookie }))
        .status,
    ).toBe(200);
    expect(
      (await call(`/api/course-certificates/${certificate.id}/certificate.pdf`, { cookie: bob.cookie })).status,
    ).toBe(404);
    expect((await call(`/api/course-certificates/${certificate.id}/certificate.pdf`)).status).toBe(401);
  });

  it("a course without a certificate completes without one", async () => {
    const { school, course } = await courseWorld({ certificate: false, completionPercent: 100 });
    const resident = await createAccount();
    const booked = await json<{ id: string }>(
      await book(resident, { slotId: course.slotId, personId: resident.personId }),
    );
    await shiftSessions(course.id, -10);
    for (const session of course.sessions)
      expect((await mark(school.staff, course, session, [booked.id])).status).toBe(200);
    const closed = await call(`/api/courses/${course.id}/complete`, { cookie: school.staff.cookie, method: "POST" });
    expect(await json(closed)).toEqual({ completed: 1, notCompleted: 0, certificates: 0 });
  });
});

describe("changing and calling off a course", () => {
  it("corrects the class link and place; cancels a course, telling everyone enrolled", async () => {
    const { school, course } = await courseWorld();
    const resident = await createAccount();
    const booked = await json<{ id: string }>(
      await book(resident, { slotId: course.slotId, personId: resident.personId }),
    );
    const patched = await call(`/api/courses/${course.id}`, {
      method: "PATCH",
      cookie: school.staff.cookie,
      body: { onlineLink: "https://meeting.example.cn/j/999", placeText: "老年学校301教室" },
    });
    expect(await json(patched)).toMatchObject({
      onlineLink: "https://meeting.example.cn/j/999",
      placeText: "老年学校301教室",
    });
    expect((await readCourse(course.id, resident)).onlineLink).toBe("https://meeting.example.cn/j/999");
    for (const body of [{}, { onlineLink: null }, { seats: 10 }, { onlineLink: "ftp://x.cn/a" }]) {
      const res = await call(`/api/courses/${course.id}`, { method: "PATCH", cookie: school.staff.cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }

    expect((await call(`/api/courses/${course.id}/cancel`, { cookie: school.staff.cookie, body: {} })).status).toBe(
      400,
    );
    const cancelled = await call(`/api/courses/${course.id}/cancel`, {
      cookie: school.staff.cookie,
      body: { reason: "报名人数不足" },
    });
    expect(await json(cancelled)).toMatchObject({ cancelReason: "报名人数不足" });
    const after = await readCourse(course.id, school.staff);
    expect(after.sessions.every((s) => s.status === "cancelled")).toBe(true);
    const list = await json<{ courses: Array<{ id: string }> }>(await call("/api/courses"));
    expect(list.courses.map((c) => c.id)).not.toContain(course.id);
    expect((await call(`/api/courses/${course.id}`)).status).toBe(404);
    const booking = await json<{ status: string }>(
      await call(`/api/bookings/${booked.id}`, { cookie: resident.cookie }),
    );
    expect(booking.status).toBe("cancelled");
    expect((await inboxOf(resident))[0]?.body).toContain("报名人数不足");
    const again = await call(`/api/courses/${course.id}/cancel`, {
      cookie: school.staff.cookie,
      body: { reason: "再次" },
    });
    expect(again.status).toBe(409);
  });

  it("is never completed or marked absent booking by booking through the generic staff actions", async () => {
    const { school, course } = await courseWorld();
    const resident = await createAccount();
    const booked = await json<{ id: string }>(
      await book(resident, { slotId: course.slotId, personId: resident.personId }),
    );
    await shiftSessions(course.id, -10);
    for (const action of ["complete", "no-show"]) {
      const res = await call(`/api/bookings/${booked.id}/${action}`, { cookie: school.staff.cookie, method: "POST" });
      expect(res.status, action).toBe(409);
    }
    const roster = await json<Roster>(await call(`/api/courses/${course.id}/roster`, { cookie: school.staff.cookie }));
    expect(roster.enrolments[0]?.status).toBe("confirmed");
  });

  it("takes the attendance of a large class in one go", async () => {
    const { school, course } = await courseWorld({ seats: 150 });
    const residents = await createAccounts(120);
    const answers = await Promise.all(residents.map((r) => book(r, { slotId: course.slotId, personId: r.personId })));
    const ids = await Promise.all(answers.map(async (a) => (await json<{ id: string }>(a)).id));
    await shiftSessions(course.id, -10);
    const session = course.sessions[0];
    if (!session) throw new Error("session");
    const res = await mark(school.staff, course, session, ids.slice(0, 100), ids.slice(100));
    expect(res.status).toBe(200);
    const roster = await json<Roster>(res);
    expect(roster.enrolments.filter((e) => e.present.includes(session.id))).toHaveLength(100);
  });
});

describe("authorisation", () => {
  it("a proxy for health matters only does not see a person's courses", async () => {
    const { course } = await courseWorld();
    const communityId = await createCommunity();
    const staff = await createCommunityStaff(communityId);
    const mother = await createManagedPerson(communityId, "钱桂英");
    const son = await createAccount();
    const healthOnly = await createAccount();
    await linkProxy(son.id, mother, staff.id);
    await linkProxy(healthOnly.id, mother, staff.id, "health");
    expect((await book(son, { slotId: course.slotId, personId: mother })).status).toBe(201);
    expect((await readCourse(course.id, son)).mine).toHaveLength(1);
    const seen = await readCourse(course.id, healthOnly);
    expect(seen.mine).toEqual([]);
    expect(seen.onlineLink).toBeNull();
  });

  it("another organisation's staff and residents cannot run a course", async () => {
    const { school, course } = await courseWorld();
    const other = await createOrgStaff("training_school", null);
    const resident = await createAccount();
    const booked = await json<{ id: string }>(
      await book(resident, { slotId: course.slotId, personId: resident.personId }),
    );
    await shiftSessions(course.id, -10);
    const session = course.sessions[0];
    if (!session) throw new Error("session");

    expect(
      (await call("/api/courses", { cookie: other.staff.cookie, body: courseBody(school.organisationId) })).status,
    ).toBe(403);
    expect(
      (await call("/api/courses", { cookie: resident.cookie, body: courseBody(school.organisationId) })).status,
    ).toBe(403);
    expect((await call("/api/courses", { body: courseBody(school.organisationId) })).status).toBe(401);
    for (const who of [other.staff, resident]) {
      expect((await call(`/api/courses/${course.id}/roster`, { cookie: who.cookie })).status).toBe(404);
      expect((await mark(who, course, session, [booked.id])).status).toBe(404);
      expect((await call(`/api/courses/${course.id}/complete`, { cookie: who.cookie, method: "POST" })).status).toBe(
        404,
      );
      expect((await readCourse(course.id, who)).canManage).toBe(false);
    }
    const theirs = await json<{ courses: Array<{ id: string }> }>(
      await call("/api/staff/courses", { cookie: other.staff.cookie }),
    );
    expect(theirs.courses.map((c) => c.id)).not.toContain(course.id);
    expect((await call("/api/staff/courses", { cookie: resident.cookie })).status).toBe(403);
    // Nothing was marked.
    const roster = await json<Roster>(await call(`/api/courses/${course.id}/roster`, { cookie: school.staff.cookie }));
    expect(roster.enrolments[0]?.present).toEqual([]);
  });
});
