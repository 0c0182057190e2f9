import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, gt, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { accounts, clinicDepartments, doctors, facilities, offerings, organisations, slots } from "../../../db/schema";
import type { AppEnv } from "../../env";
import { auditInsert } from "../../lib/audit";
import { requireAccount, staffOfOrganisation } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { fromShanghai, shanghaiDate } from "../../lib/shanghai";
import { DAY, now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import {
  CLINIC_SERVICES,
  Clinic,
  ClinicList,
  ClinicParams,
  type ClinicService,
  DepartmentInput,
  DoctorInput,
  GenerateInput,
  GenerateResult,
  ScheduleInput,
  type ScheduleKind,
  scheduleSlots,
} from "./clinics.schema";

const TAGS = ["clinics"];

const listRoute = createRoute({
  method: "get",
  path: "/clinics",
  tags: TAGS,
  summary: "The street's clinics with their departments, services and appointments left today",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(ClinicList, "Clinics") },
});

const oneRoute = createRoute({
  method: "get",
  path: "/clinics/{id}",
  tags: TAGS,
  summary: "One clinic: departments, doctors (no photos) and their weekly schedules",
  request: { params: ClinicParams, query: NoQuery },
  responses: { 200: jsonResponse(Clinic, "Clinic"), ...errors(400, 404) },
});

const departmentRoute = createRoute({
  method: "post",
  path: "/clinics/{id}/departments",
  tags: TAGS,
  summary: "Add a department with its services (the clinic's staff)",
  security: cookieAuth,
  request: { params: ClinicParams, query: NoQuery, ...jsonBody(DepartmentInput) },
  responses: { 201: jsonResponse(Clinic, "Added"), ...errors(400, 401, 404, 409) },
});

const doctorRoute = createRoute({
  method: "post",
  path: "/clinics/{id}/doctors",
  tags: TAGS,
  summary: "Add a doctor to a department (the clinic's staff)",
  security: cookieAuth,
  request: { params: ClinicParams, query: NoQuery, ...jsonBody(DoctorInput) },
  responses: { 201: jsonResponse(Clinic, "Added"), ...errors(400, 401, 404) },
});

const scheduleRoute = createRoute({
  method: "put",
  path: "/doctors/{id}/schedule",
  tags: TAGS,
  summary:
    "Set a doctor's weekly schedule: blocks of visits or tele-consultations, none overlapping (the clinic's staff)",
  security: cookieAuth,
  request: { params: ClinicParams, query: NoQuery, ...jsonBody(ScheduleInput) },
  responses: { 200: jsonResponse(Clinic, "Set"), ...errors(400, 401, 404) },
});

const generateRoute = createRoute({
  method: "post",
  path: "/doctors/{id}/slots",
  tags: TAGS,
  summary:
    "Make a doctor's appointment slots from the weekly schedule for up to 63 days, holidays left out; appointments already there are kept, ones overlapping them refused (409)",
  security: cookieAuth,
  request: { params: ClinicParams, query: NoQuery, ...jsonBody(GenerateInput) },
  responses: { 201: jsonResponse(GenerateResult, "Made"), ...errors(400, 401, 404, 409) },
});

// ---------- queries ----------

async function clinicOrganisations(c: Context<AppEnv>, where?: SQL) {
  return c.var.db
    .select({
      id: organisations.id,
      name: organisations.name,
      address: organisations.address,
      phone: organisations.phone,
      facilityId: sql<string | null>`(SELECT f.id FROM ${facilities} f WHERE f.organisation_id = ${organisations.id}
        ORDER BY f.id LIMIT 1)`,
    })
    .from(organisations)
    .where(and(eq(organisations.type, "clinic"), where))
    .orderBy(asc(organisations.name));
}

/** Each department's clinic appointments still free today (Shanghai), after now. */
async function openToday(c: Context<AppEnv>, departmentIds: string[]) {
  if (departmentIds.length === 0) return new Map<string, number>();
  const at = now();
  const endOfDay = fromShanghai(shanghaiDate(at), "00:00") + DAY;
  const rows = await c.var.db
    .select({
      departmentId: doctors.departmentId,
      free: sql<number>`sum(${slots.capacity} - ${slots.heldCount})`.mapWith(Number),
    })
    .from(slots)
    .innerJoin(doctors, eq(doctors.clinicOfferingId, slots.offeringId))
    .where(
      and(
        inArray(doctors.departmentId, departmentIds),
        eq(slots.status, "open"),
        gt(slots.startsAt, at),
        lt(slots.startsAt, endOfDay),
        sql`${slots.heldCount} < ${slots.capacity}`,
      ),
    )
    .groupBy(doctors.departmentId);
  return new Map(rows.map((r) => [r.departmentId, r.free]));
}

async function departmentsOf(c: Context<AppEnv>, organisationIds: string[]) {
  if (organisationIds.length === 0) return [];
  const rows = await c.var.db
    .select()
    .from(clinicDepartments)
    .where(inArray(clinicDepartments.organisationId, organisationIds))
    .orderBy(asc(clinicDepartments.createdAt));
  const free = await openToday(
    c,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    organisationId: r.organisationId,
    id: r.id,
    name: r.name,
    services: r.services,
    description: r.description,
    openToday: free.get(r.id) ?? 0,
  }));
}

function servicesOf(departments: Array<{ services: ClinicService[] }>): ClinicService[] {
  const all = new Set(departments.flatMap((d) => d.services));
  return CLINIC_SERVICES.filter((s) => all.has(s));
}

async function clinicSummaries(c: Context<AppEnv>, where?: SQL) {
  const clinics = await clinicOrganisations(c, where);
  const departments = await departmentsOf(
    c,
    clinics.map((k) => k.id),
  );
  return clinics.map((k) => {
    const own = departments.filter((d) => d.organisationId === k.id).map(({ organisationId: _o, ...d }) => d);
    return { ...k, services: servicesOf(own), departments: own };
  });
}

async function answer(c: Context<AppEnv>, id: string) {
  const [summary] = await clinicSummaries(c, eq(organisations.id, id));
  if (!summary) throw new ApiError("NOT_FOUND", "Clinic not found");
  const account = await currentAccount(c);
  const rows = await c.var.db
    .select()
    .from(doctors)
    .where(eq(doctors.organisationId, id))
    .orderBy(asc(doctors.createdAt));
  return {
    ...summary,
    doctors: rows.map((d) => ({
      id: d.id,
      departmentId: d.departmentId,
      name: d.name,
      title: d.title,
      specialty: d.specialty,
      profile: d.profile,
      clinicOfferingId: d.clinicOfferingId,
      teleconsultOfferingId: d.teleconsultOfferingId,
      schedule: d.schedule,
    })),
    canManage: !!account && staffOfOrganisation(account, id),
  };
}

/** The clinic for its own staff (and street admins); 404 for anyone else. */
async function managedClinic(c: Context<AppEnv>, id: string) {
  const account = await requireAccount(c);
  const [clinic] = await clinicOrganisations(c, eq(organisations.id, id));
  if (!clinic || !staffOfOrganisation(account, id)) throw new ApiError("NOT_FOUND", "Clinic not found");
  return { account, clinic };
}

async function managedDoctor(c: Context<AppEnv>, id: string) {
  const account = await requireAccount(c);
  const [doctor] = await c.var.db.select().from(doctors).where(eq(doctors.id, id)).limit(1);
  if (!doctor || !staffOfOrganisation(account, doctor.organisationId))
    throw new ApiError("NOT_FOUND", "Doctor not found");
  return { account, doctor };
}

const TITLE_WORDS: Record<string, string> = {
  chief_physician: "主任医师",
  associate_chief_physician: "副主任医师",
  attending_physician: "主治医师",
  physician: "医师",
  general_practitioner: "全科医生",
  nurse: "护士",
  therapist: "治疗师",
};

/** Rows per INSERT so that no statement binds more than D1's 100 parameters (a slot row binds 18). */
const SLOT_ROWS_PER_INSERT = 5;

export const clinicsRoutes = createRouter()
  .openapi(listRoute, async (c) => c.json({ clinics: await clinicSummaries(c) }, 200))
  .openapi(oneRoute, async (c) => c.json(await answer(c, c.req.valid("param").id), 200))
  .openapi(departmentRoute, async (c) => {
    const id = c.req.valid("param").id;
    await managedClinic(c, id);
    const input = c.req.valid("json");
    const deptId = newId("dpt");
    const db = c.var.db;
    const [inserted] = await db.batch([
      db
        .insert(clinicDepartments)
        .values({ id: deptId, organisationId: id, ...input, createdAt: now() })
        .onConflictDoNothing()
        .returning({ id: clinicDepartments.id }),
      auditInsert(
        c,
        { action: "clinic.department_add", subjectType: "organisation", subjectId: id, detail: { name: input.name } },
        sql`EXISTS (SELECT 1 FROM ${clinicDepartments} WHERE ${clinicDepartments.id} = ${deptId})`,
      ),
    ]);
    if (inserted.length === 0) throw new ApiError("CONFLICT", "This clinic already has a department of that name");
    return c.json(await answer(c, id), 201);
  })
  .openapi(doctorRoute, async (c) => {
    const id = c.req.valid("param").id;
    await managedClinic(c, id);
    const input = c.req.valid("json");
    const db = c.var.db;
    const [department] = await db
      .select({ id: clinicDepartments.id })
      .from(clinicDepartments)
      .where(and(eq(clinicDepartments.id, input.departmentId), eq(clinicDepartments.organisationId, id)))
      .limit(1);
    if (!department) throw new ApiError("NOT_FOUND", "Department not found in this clinic");
    let accountId: string | null = null;
    if (input.accountPhone) {
      const [found] = await db
        .select({ id: accounts.id })
        .from(accounts)
        .where(eq(accounts.phone, input.accountPhone))
        .limit(1);
      if (!found) throw new ApiError("NOT_FOUND", "No account has this phone: the doctor signs in once first");
      accountId = found.id;
    }
    const at = now();
    const doctorId = newId("doc");
    const { accountPhone: _phone, ...fields } = input;
    await db.batch([
      db
        .insert(doctors)
        .values({ id: doctorId, organisationId: id, ...fields, accountId, createdAt: at, updatedAt: at }),
      auditInsert(c, {
        action: "clinic.doctor_add",
        subjectType: "organisation",
        subjectId: id,
        detail: { doctorId, name: input.name },
      }),
    ]);
    return c.json(await answer(c, id), 201);
  })
  .openapi(scheduleRoute, async (c) => {
    const { doctor } = await managedDoctor(c, c.req.valid("param").id);
    const { blocks } = c.req.valid("json");
    const db = c.var.db;
    await db.batch([
      db.update(doctors).set({ schedule: blocks, updatedAt: now() }).where(eq(doctors.id, doctor.id)),
      auditInsert(c, {
        action: "clinic.schedule_set",
        subjectType: "organisation",
        subjectId: doctor.organisationId,
        detail: { doctorId: doctor.id, blocks: blocks.length },
      }),
    ]);
    return c.json(await answer(c, doctor.organisationId), 200);
  })
  .openapi(generateRoute, async (c) => {
    const { doctor } = await managedDoctor(c, c.req.valid("param").id);
    const input = c.req.valid("json");
    const at = now();
    const planned = scheduleSlots(doctor.schedule, input).filter((s) => s.startsAt > at);
    const skipped = input.skipDates.filter((d) => {
      const weekday = new Date(`${d}T12:00:00+08:00`).getUTCDay() || 7;
      return d >= input.from && d <= input.until && doctor.schedule.some((b) => b.weekday === weekday);
    });
    const db = c.var.db;
    const [clinic] = await clinicOrganisations(c, eq(organisations.id, doctor.organisationId));
    const [department] = await db
      .select({ name: clinicDepartments.name })
      .from(clinicDepartments)
      .where(eq(clinicDepartments.id, doctor.departmentId))
      .limit(1);
    // The doctor's offering of each kind, made the first time (its id kept on the doctor).
    const offeringIds: Record<ScheduleKind, string | null> = {
      clinic: doctor.clinicOfferingId,
      teleconsult: doctor.teleconsultOfferingId,
    };
    const made: Array<typeof offerings.$inferInsert> = [];
    for (const kind of ["clinic", "teleconsult"] as const) {
      if (offeringIds[kind] || !planned.some((p) => p.kind === kind)) continue;
      // One per doctor and kind, named after the doctor: two requests at once make it once.
      const offeringId = `off_${doctor.id}_${kind}`;
      offeringIds[kind] = offeringId;
      const who = `${doctor.name}${TITLE_WORDS[doctor.title] ?? ""}`;
      made.push({
        id: offeringId,
        organisationId: doctor.organisationId,
        facilityId: clinic?.facilityId ?? null,
        kind,
        category: kind === "clinic" ? "appointment" : "teleconsult",
        title:
          kind === "clinic" ? `${department?.name ?? ""} · ${who}` : `互联网医院 · ${department?.name ?? ""} · ${who}`,
        description: doctor.specialty,
        opensDaysBefore: 14,
        closesHoursBefore: kind === "clinic" ? 0 : 2,
        cancelCutoffHours: kind === "clinic" ? 1 : 2,
        waitlist: false,
        maxActivePerPerson: 2,
        requiresConfirmation: kind === "teleconsult",
        status: "active",
        createdAt: at,
        updatedAt: at,
      });
    }
    // What is there already: the same start is kept (not doubled); anything else overlapping is refused.
    const ids = [offeringIds.clinic, offeringIds.teleconsult].filter((v): v is string => v !== null);
    const first = planned[0]?.startsAt ?? at;
    const last = planned.at(-1)?.endsAt ?? at;
    const existing = ids.length
      ? await db
          .select({ offeringId: slots.offeringId, startsAt: slots.startsAt, endsAt: slots.endsAt })
          .from(slots)
          .where(
            and(
              inArray(slots.offeringId, ids),
              eq(slots.status, "open"),
              lt(slots.startsAt, last),
              gt(slots.endsAt, first),
            ),
          )
      : [];
    const fresh: typeof planned = [];
    let kept = 0;
    for (const p of planned) {
      const offeringId = offeringIds[p.kind];
      if (existing.some((e) => e.offeringId === offeringId && e.startsAt === p.startsAt && e.endsAt === p.endsAt)) {
        kept++;
        continue;
      }
      const clash = existing.find((e) => e.startsAt < p.endsAt && p.startsAt < e.endsAt);
      if (clash) {
        throw new ApiError(
          "CONFLICT",
          `An appointment at ${shanghaiDate(clash.startsAt)} overlaps the new schedule: cancel it or keep the old times`,
        );
      }
      fresh.push(p);
    }
    const rows = fresh.map((p) => ({
      id: newId("slt"),
      offeringId: offeringIds[p.kind] as string,
      startsAt: p.startsAt,
      endsAt: p.endsAt,
      capacity: p.capacity,
      createdAt: at,
      updatedAt: at,
    }));
    const inserts = [];
    for (let i = 0; i < rows.length; i += SLOT_ROWS_PER_INSERT) {
      inserts.push(
        db
          .insert(slots)
          .values(rows.slice(i, i + SLOT_ROWS_PER_INSERT))
          .onConflictDoNothing(),
      );
    }
    await db.batch([
      auditInsert(c, {
        action: "clinic.slots_generate",
        subjectType: "organisation",
        subjectId: doctor.organisationId,
        detail: { doctorId: doctor.id, from: input.from, until: input.until, created: rows.length },
      }),
      ...made.map((o) => db.insert(offerings).values(o).onConflictDoNothing()),
      ...(made.length
        ? [
            db
              .update(doctors)
              .set({
                clinicOfferingId: offeringIds.clinic,
                teleconsultOfferingId: offeringIds.teleconsult,
                updatedAt: at,
              })
              .where(eq(doctors.id, doctor.id)),
          ]
        : []),
      ...inserts,
    ]);
    return c.json({ created: rows.length, existing: kept, skipped }, 201);
  });
