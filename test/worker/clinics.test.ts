import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { isoWeekday, shanghaiDate } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createManagedPerson,
  createOrgStaff,
  grantRole,
  inboxOf,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type Clinic = {
  id: string;
  departments: Array<{ id: string; name: string; services: string[]; openToday: number }>;
  doctors: Array<{ id: string; name: string; clinicOfferingId: string | null; teleconsultOfferingId: string | null }>;
  services: string[];
  canManage: boolean;
};
type Teleconsult = {
  bookingId: string;
  status: string;
  consent: { at: number; version: string } | null;
  symptoms: string | null;
  meetingLink: string | null;
};
type Slot = { id: string; startsAt: number; endsAt: number; capacity: number };

const CONSENT = { version: "teleconsult-symptoms-v1" };
const inDays = (days: number) => shanghaiDate(Date.now() + days * DAY);

/** A clinic with its staff, a general-practice department and a doctor who has a sign-in. */
async function clinicWorld() {
  const clinic = await createOrgStaff("clinic", null);
  // The doctor signs in as a staff member of the clinic (its admin granted the role).
  const doctorAccount = await createAccount({ name: "王医生" });
  await grantRole(doctorAccount.id, "org_staff", { organisationId: clinic.organisationId });
  let res = await call(`/api/clinics/${clinic.organisationId}/departments`, {
    cookie: clinic.staff.cookie,
    body: { name: "全科", services: ["general", "family_doctor", "chronic_followup"] },
  });
  expect(res.status).toBe(201);
  const departmentId = (await json<Clinic>(res)).departments[0]?.id ?? "";
  res = await call(`/api/clinics/${clinic.organisationId}/doctors`, {
    cookie: clinic.staff.cookie,
    body: {
      departmentId,
      name: "王建华",
      title: "general_practitioner",
      specialty: "高血压、糖尿病随访",
      accountPhone: doctorAccount.phone,
      meetingLink: "https://meet.example.cn/room/wang",
    },
  });
  expect(res.status).toBe(201);
  const doctorId = (await json<Clinic>(res)).doctors[0]?.id ?? "";
  return { clinic, doctorAccount, departmentId, doctorId };
}

async function setSchedule(staff: TestAccount, doctorId: string, blocks: unknown[]) {
  return call(`/api/doctors/${doctorId}/schedule`, { method: "PUT", cookie: staff.cookie, body: { blocks } });
}

async function generate(staff: TestAccount, doctorId: string, body: Record<string, unknown>) {
  return call(`/api/doctors/${doctorId}/slots`, { cookie: staff.cookie, body });
}

async function readClinic(id: string, who?: TestAccount) {
  const res = await call(`/api/clinics/${id}`, who ? { cookie: who.cookie } : {});
  expect(res.status).toBe(200);
  return json<Clinic>(res);
}

async function slotsOf(offeringId: string) {
  const res = await call(`/api/offerings/${offeringId}/slots?to=${Date.now() + 30 * DAY}`);
  expect(res.status).toBe(200);
  return (await json<{ slots: Slot[] }>(res)).slots;
}

/** The first date from `days` on that falls on ISO weekday `weekday`. */
function nextWeekday(weekday: number, days = 2): string {
  for (let d = days; ; d++) if (isoWeekday(inDays(d)) === weekday) return inDays(d);
}

/** A doctor whose Tuesday-morning tele-consultations are generated, and one slot of them. */
async function teleconsultSlot() {
  const world = await clinicWorld();
  expect(
    (
      await setSchedule(world.clinic.staff, world.doctorId, [
        { weekday: 2, start: "09:00", end: "10:00", kind: "teleconsult", slotMinutes: 20, capacity: 1 },
      ])
    ).status,
  ).toBe(200);
  const tuesday = nextWeekday(2);
  expect((await generate(world.clinic.staff, world.doctorId, { from: tuesday, until: tuesday })).status).toBe(201);
  const offeringId = (await readClinic(world.clinic.organisationId)).doctors[0]?.teleconsultOfferingId ?? "";
  const [slot] = await slotsOf(offeringId);
  if (!slot) throw new Error("no teleconsult slot");
  return { ...world, offeringId, slot };
}

describe("schedules and appointment slots", () => {
  it("makes slots from the weekly schedule, leaving out holidays, and never twice", async () => {
    const { clinic, doctorId } = await clinicWorld();
    const res = await setSchedule(clinic.staff, doctorId, [
      { weekday: 1, start: "08:00", end: "09:00", kind: "clinic", slotMinutes: 15, capacity: 2 },
      { weekday: 3, start: "14:00", end: "15:00", kind: "clinic", slotMinutes: 30, capacity: 1 },
    ]);
    expect(res.status).toBe(200);
    const monday = nextWeekday(1);
    const nextMonday = shanghaiDate(Date.parse(`${monday}T12:00:00+08:00`) + 7 * DAY);
    const until = shanghaiDate(Date.parse(`${monday}T12:00:00+08:00`) + 13 * DAY);
    const made = await generate(clinic.staff, doctorId, { from: monday, until, skipDates: [nextMonday] });
    expect(made.status).toBe(201);
    // One Monday (4 × 15 min) and two Wednesdays (2 × 30 min); the holiday Monday left out.
    expect(await json(made)).toEqual({ created: 8, existing: 0, skipped: [nextMonday] });
    const offeringId = (await readClinic(clinic.organisationId)).doctors[0]?.clinicOfferingId ?? "";
    const slots = await slotsOf(offeringId);
    expect(slots.map((s) => shanghaiDate(s.startsAt))).not.toContain(nextMonday);
    expect(slots.filter((s) => shanghaiDate(s.startsAt) === monday).map((s) => s.capacity)).toEqual([2, 2, 2, 2]);

    // Run again: nothing doubled.
    const again = await generate(clinic.staff, doctorId, { from: monday, until, skipDates: [nextMonday] });
    expect(await json(again)).toMatchObject({ created: 0, existing: 8 });
  });

  it("refuses overlapping blocks, and a new schedule whose times overlap appointments already made", async () => {
    const { clinic, doctorId } = await clinicWorld();
    const overlapping = await setSchedule(clinic.staff, doctorId, [
      { weekday: 2, start: "08:00", end: "10:00", kind: "clinic", slotMinutes: 30, capacity: 1 },
      { weekday: 2, start: "09:30", end: "11:00", kind: "teleconsult", slotMinutes: 30, capacity: 1 },
    ]);
    expect(overlapping.status).toBe(400);

    await setSchedule(clinic.staff, doctorId, [
      { weekday: 2, start: "08:00", end: "09:00", kind: "clinic", slotMinutes: 30, capacity: 1 },
    ]);
    const tuesday = nextWeekday(2);
    expect((await generate(clinic.staff, doctorId, { from: tuesday, until: tuesday })).status).toBe(201);
    await setSchedule(clinic.staff, doctorId, [
      { weekday: 2, start: "08:10", end: "09:10", kind: "clinic", slotMinutes: 20, capacity: 1 },
    ]);
    const clash = await generate(clinic.staff, doctorId, { from: tuesday, until: tuesday });
    expect(clash.status).toBe(409);
  });

  it("refuses bad schedules and spans with 400s", async () => {
    const { clinic, doctorId } = await clinicWorld();
    const badBlocks = [
      [{ weekday: 8, start: "08:00", end: "09:00", kind: "clinic", slotMinutes: 15, capacity: 1 }],
      [{ weekday: 1, start: "09:00", end: "08:00", kind: "clinic", slotMinutes: 15, capacity: 1 }],
      [{ weekday: 1, start: "08:00", end: "09:00", kind: "surgery", slotMinutes: 15, capacity: 1 }],
      [{ weekday: 1, start: "08:00", end: "09:00", kind: "clinic", slotMinutes: 1, capacity: 1 }],
      // Shorter than one appointment; a tele-consultation for several at once.
      [{ weekday: 1, start: "08:00", end: "08:10", kind: "clinic", slotMinutes: 15, capacity: 1 }],
      [{ weekday: 1, start: "14:00", end: "15:00", kind: "teleconsult", slotMinutes: 20, capacity: 3 }],
    ];
    for (const blocks of badBlocks) expect((await setSchedule(clinic.staff, doctorId, blocks)).status).toBe(400);
    // No schedule yet: nothing to make.
    expect((await generate(clinic.staff, doctorId, { from: inDays(1), until: inDays(7) })).status).toBe(400);
    for (const body of [
      { from: inDays(5), until: inDays(2) },
      { from: inDays(1), until: inDays(80) },
      { from: "2026-02-30", until: inDays(2) },
      { from: inDays(1) },
    ]) {
      expect((await generate(clinic.staff, doctorId, body)).status, JSON.stringify(body)).toBe(400);
    }
    const dept = await call(`/api/clinics/${clinic.organisationId}/departments`, {
      cookie: clinic.staff.cookie,
      body: { name: "全科", services: ["general"] },
    });
    expect(dept.status).toBe(409);
  });

  it("lists the clinic's services and today's open appointments per department", async () => {
    const { clinic } = await clinicWorld();
    const list = await json<{ clinics: Clinic[] }>(await call("/api/clinics"));
    const found = list.clinics.find((k) => k.id === clinic.organisationId);
    expect(found?.services).toEqual(["general", "family_doctor", "chronic_followup"]);
    expect(found?.departments[0]).toMatchObject({ name: "全科", openToday: 0 });
  });
});

describe("tele-consultations", () => {
  it("keeps no symptoms without consent, deletes them on withdrawal, shows the link once confirmed", async () => {
    const { clinic, slot, doctorAccount } = await teleconsultSlot();
    const patient = await createAccount({ name: "李娟" });
    // Symptoms in the booking's notes: refused (health data needs its own consent).
    expect((await book(patient, { slotId: slot.id, personId: patient.personId, notes: "头晕" })).status).toBe(400);
    const booked = await book(patient, { slotId: slot.id, personId: patient.personId });
    expect(booked.status).toBe(201);
    const bookingId = (await json<{ id: string; status: string }>(booked)).id;
    const path = `/api/teleconsults/${bookingId}`;

    let view = await json<Teleconsult>(await call(path, { cookie: patient.cookie }));
    expect(view).toMatchObject({ status: "pending", consent: null, symptoms: null, meetingLink: null });

    // No consent yet: the text is refused and nothing is stored.
    const refused = await call(`${path}/symptoms`, {
      method: "PUT",
      cookie: patient.cookie,
      body: { text: "头晕三天" },
    });
    expect(refused.status).toBe(409);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe("CONSENT_REQUIRED");
    expect((await json<Teleconsult>(await call(path, { cookie: doctorAccount.cookie }))).symptoms).toBeNull();

    expect((await call(`${path}/consent`, { cookie: patient.cookie, body: { version: "v0" } })).status).toBe(400);
    expect((await call(`${path}/consent`, { cookie: patient.cookie, body: CONSENT })).status).toBe(200);
    const saved = await call(`${path}/symptoms`, {
      method: "PUT",
      cookie: patient.cookie,
      body: { text: "头晕三天，血压150/95" },
    });
    expect(await json<Teleconsult>(saved)).toMatchObject({ symptoms: "头晕三天，血压150/95" });
    // The doctor reads them; the clinic's front desk does not.
    expect((await json<Teleconsult>(await call(path, { cookie: doctorAccount.cookie }))).symptoms).toBe(
      "头晕三天，血压150/95",
    );
    expect((await json<Teleconsult>(await call(path, { cookie: clinic.staff.cookie }))).symptoms).toBeNull();
    const doctorList = await json<{ consultations: Teleconsult[] }>(
      await call("/api/doctor/consultations", { cookie: doctorAccount.cookie }),
    );
    expect(doctorList.consultations.map((x) => x.bookingId)).toEqual([bookingId]);

    // Withdrawn: the text is gone.
    const withdrawn = await call(`${path}/consent`, { method: "DELETE", cookie: patient.cookie });
    expect(await json<Teleconsult>(withdrawn)).toMatchObject({ consent: null, symptoms: null });
    expect((await json<Teleconsult>(await call(path, { cookie: doctorAccount.cookie }))).symptoms).toBeNull();

    // The room only once the clinic confirms, and not after the appointment is over.
    expect(view.meetingLink).toBeNull();
    expect(
      (await call(`/api/bookings/${bookingId}/confirm`, { cookie: clinic.staff.cookie, method: "POST" })).status,
    ).toBe(200);
    view = await json<Teleconsult>(await call(path, { cookie: patient.cookie }));
    expect(view).toMatchObject({ status: "confirmed", meetingLink: "https://meet.example.cn/room/wang" });
    await env.DB.prepare("UPDATE slots SET starts_at = ?1, ends_at = ?2 WHERE id = ?3")
      .bind(Date.now() - 60 * 60_000, Date.now() - 40 * 60_000, slot.id)
      .run();
    expect((await json<Teleconsult>(await call(path, { cookie: patient.cookie }))).meetingLink).toBeNull();
    // The doctor's reads are on the record.
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'teleconsult.read' AND subject_id = ?1",
    )
      .bind(bookingId)
      .first<{ n: number }>();
    expect(audit?.n).toBeGreaterThan(0);
  });

  it("a daughter books for her mother and consents for her; other doctors and residents get 404", async () => {
    const { slot } = await teleconsultSlot();
    const communityId = await createCommunity();
    const staff = await createCommunityStaff(communityId);
    const mother = await createManagedPerson(communityId, "赵秀兰");
    const daughter = await createAccount();
    await linkProxy(daughter.id, mother, staff.id);
    const booked = await book(daughter, { slotId: slot.id, personId: mother });
    expect(booked.status).toBe(201);
    const path = `/api/teleconsults/${(await json<{ id: string }>(booked)).id}`;
    expect((await call(`${path}/consent`, { cookie: daughter.cookie, body: CONSENT })).status).toBe(200);
    expect(
      (await call(`${path}/symptoms`, { method: "PUT", cookie: daughter.cookie, body: { text: "咳嗽一周" } })).status,
    ).toBe(200);

    // Another clinic's doctor, another clinic's staff, a stranger: 404, and they change nothing.
    const other = await clinicWorld();
    const stranger = await createAccount();
    for (const who of [other.doctorAccount, other.clinic.staff, stranger]) {
      expect((await call(path, { cookie: who.cookie })).status).toBe(404);
      expect((await call(`${path}/consent`, { method: "DELETE", cookie: who.cookie })).status).toBe(404);
      expect(
        (await call(`${path}/symptoms`, { method: "PUT", cookie: who.cookie, body: { text: "篡改" } })).status,
      ).toBe(404);
    }
    expect((await json<Teleconsult>(await call(path, { cookie: daughter.cookie }))).symptoms).toBe("咳嗽一周");
    expect((await call("/api/doctor/consultations", { cookie: stranger.cookie })).status).toBe(403);
    expect(
      (
        await json<{ consultations: unknown[] }>(
          await call("/api/doctor/consultations", { cookie: other.doctorAccount.cookie }),
        )
      ).consultations,
    ).toEqual([]);
  });
});

describe("health data and who reaches it", () => {
  it("a cancelled consultation keeps no symptoms; a proxy for bookings only books but reads nothing", async () => {
    const { slot, doctorAccount } = await teleconsultSlot();
    const communityId = await createCommunity();
    const staff = await createCommunityStaff(communityId);
    const father = await createManagedPerson(communityId, "孙国强");
    const bookingsOnly = await createAccount();
    const allMatters = await createAccount();
    await linkProxy(bookingsOnly.id, father, staff.id, "bookings");
    await linkProxy(allMatters.id, father, staff.id);
    const booked = await book(bookingsOnly, { slotId: slot.id, personId: father });
    expect(booked.status).toBe(201);
    const bookingId = (await json<{ id: string }>(booked)).id;
    const path = `/api/teleconsults/${bookingId}`;
    expect((await call(path, { cookie: bookingsOnly.cookie })).status).toBe(404);
    expect((await call(`${path}/consent`, { cookie: bookingsOnly.cookie, body: CONSENT })).status).toBe(404);
    expect((await call(`${path}/consent`, { cookie: allMatters.cookie, body: CONSENT })).status).toBe(200);
    expect(
      (await call(`${path}/symptoms`, { method: "PUT", cookie: allMatters.cookie, body: { text: "膝盖疼" } })).status,
    ).toBe(200);
    expect((await json<Teleconsult>(await call(path, { cookie: doctorAccount.cookie }))).symptoms).toBe("膝盖疼");

    // Cancelled (whoever cancels): the symptoms go in the same statement.
    const cancelled = await call(`/api/bookings/${bookingId}/cancel`, { cookie: bookingsOnly.cookie, body: {} });
    expect(cancelled.status).toBe(200);
    expect((await json<Teleconsult>(await call(path, { cookie: allMatters.cookie }))).symptoms).toBeNull();
    expect((await json<Teleconsult>(await call(path, { cookie: doctorAccount.cookie }))).symptoms).toBeNull();
  });

  it("binds a doctor's sign-in only to the clinic's staff, and unbinding ends their access", async () => {
    const { clinic, doctorId, departmentId, doctorAccount } = await clinicWorld();
    const stranger = await createAccount();
    const refused = await call(`/api/clinics/${clinic.organisationId}/doctors`, {
      cookie: clinic.staff.cookie,
      body: { departmentId, name: "冒名医生", title: "physician", accountPhone: stranger.phone },
    });
    expect(refused.status).toBe(400);
    expect((await call("/api/doctor/consultations", { cookie: doctorAccount.cookie })).status).toBe(200);
    const unbound = await call(`/api/doctors/${doctorId}`, {
      method: "PATCH",
      cookie: clinic.staff.cookie,
      body: { accountPhone: null, meetingLink: "https://meet.example.cn/room/new" },
    });
    expect(unbound.status).toBe(200);
    expect((await call("/api/doctor/consultations", { cookie: doctorAccount.cookie })).status).toBe(403);
  });

  it("keeps the doctors' offerings out of the generic routes and notes out of clinic bookings", async () => {
    const { clinic, slot, offeringId } = await teleconsultSlot();
    const created = await call("/api/offerings", {
      cookie: clinic.staff.cookie,
      body: { organisationId: clinic.organisationId, kind: "teleconsult", title: "自建问诊" },
    });
    expect(created.status).toBe(400);
    const patched = await call(`/api/offerings/${offeringId}`, {
      method: "PATCH",
      cookie: clinic.staff.cookie,
      body: { requiresConfirmation: false },
    });
    expect(patched.status).toBe(409);
    expect((await call(`/api/slots/${slot.id}/cancel`, { cookie: clinic.staff.cookie, body: {} })).status).toBe(409);
  });
});

describe("family-doctor signing", () => {
  it("a resident asks, the clinic accepts; one signing per person; other clinics cannot decide", async () => {
    const { clinic } = await clinicWorld();
    const resident = await createAccount({ name: "周大爷" });
    const asked = await call("/api/family-doctor/signings", {
      cookie: resident.cookie,
      body: { organisationId: clinic.organisationId, personId: resident.personId, note: "高血压" },
    });
    expect(asked.status).toBe(201);
    const signing = await json<{ id: string; status: string }>(asked);
    expect(signing.status).toBe("requested");
    const again = await call("/api/family-doctor/signings", {
      cookie: resident.cookie,
      body: { organisationId: clinic.organisationId, personId: resident.personId },
    });
    expect(again.status).toBe(409);
    // Nobody asks for someone they do not act for.
    const stranger = await createAccount();
    expect(
      (
        await call("/api/family-doctor/signings", {
          cookie: stranger.cookie,
          body: { organisationId: clinic.organisationId, personId: resident.personId },
        })
      ).status,
    ).toBe(404);

    const otherClinic = await createOrgStaff("clinic", null);
    const decide = (who: TestAccount, body: Record<string, unknown>) =>
      call(`/api/family-doctor/signings/${signing.id}/decision`, { cookie: who.cookie, body });
    expect((await decide(otherClinic.staff, { decision: "accept" })).status).toBe(404);
    expect((await decide(resident, { decision: "accept" })).status).toBe(404);
    expect((await decide(clinic.staff, { decision: "decline" })).status).toBe(400);
    const staffList = await json<{ signings: Array<{ id: string; phoneMasked: string }> }>(
      await call("/api/staff/family-doctor/signings", { cookie: clinic.staff.cookie }),
    );
    expect(staffList.signings.find((s) => s.id === signing.id)?.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const accepted = await decide(clinic.staff, { decision: "accept" });
    expect(await json(accepted)).toMatchObject({ status: "accepted" });
    expect((await decide(clinic.staff, { decision: "accept" })).status).toBe(409);
    expect((await inboxOf(resident))[0]).toMatchObject({ kind: "family_doctor_accepted" });
  });
});

describe("authorisation", () => {
  it("only a clinic's own staff add departments and doctors or make its slots", async () => {
    const { clinic, doctorId, departmentId } = await clinicWorld();
    const other = await createOrgStaff("clinic", null);
    const resident = await createAccount();
    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    for (const who of [other.staff, resident]) {
      expect(
        (
          await call(`/api/clinics/${clinic.organisationId}/departments`, {
            cookie: who.cookie,
            body: { name: "中医科", services: ["tcm"] },
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await call(`/api/clinics/${clinic.organisationId}/doctors`, {
            cookie: who.cookie,
            body: { departmentId, name: "假医生", title: "physician" },
          })
        ).status,
      ).toBe(404);
      expect((await setSchedule(who, doctorId, [])).status).toBe(404);
      expect((await generate(who, doctorId, { from: inDays(1), until: inDays(2) })).status).toBe(404);
      expect((await readClinic(clinic.organisationId, who)).canManage).toBe(false);
    }
    // A department of another clinic cannot take this clinic's doctor.
    const otherDept = await json<Clinic>(
      await call(`/api/clinics/${other.organisationId}/departments`, {
        cookie: other.staff.cookie,
        body: { name: "全科", services: ["general"] },
      }),
    );
    expect(
      (
        await call(`/api/clinics/${clinic.organisationId}/doctors`, {
          cookie: clinic.staff.cookie,
          body: { departmentId: otherDept.departments[0]?.id, name: "错科室", title: "physician" },
        })
      ).status,
    ).toBe(404);
    expect((await readClinic(clinic.organisationId, admin)).canManage).toBe(true);
    expect((await readClinic(clinic.organisationId)).doctors).toHaveLength(1);
  });
});
