import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, gt, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import {
  accounts,
  clinicDepartments,
  doctors,
  facilities,
  offerings,
  organisations,
  roleGrants,
  slots,
} from "../../../db/schema";
import type { AppEnv } from "../../env";
import { auditInsert } from "../../lib/audit";
import { requireAccount, staffOfOrganisation } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { fromShanghai, isoWeekday, shanghaiDate } from "../../lib/shanghai";
import { DAY, now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import { hasHours, isOpenAt, type OpeningHours } from "../facilities/opening-hours";
import {
  CLINIC_SERVICES,
  Clinic,
  ClinicList,
  ClinicParams,
  type ClinicService,
  DepartmentInput,
  DoctorInput,
  DoctorPatch,
  doctorOffering,
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

const patchDoctorRoute = createRoute({
  method: "patch",
  path: "/doctors/{id}",
  tags: TAGS,
  summary:
    "Change a doctor: their sign-in (null unbinds it, e.g. when they leave), video room, title, specialty, profile",
  security: cookieAuth,
  request: { params: ClinicParams, query: NoQuery, ...jsonBody(DoctorPatch) },
  responses: { 200: jsonResponse(Clinic, "Changed"), ...errors(400, 401, 404) },
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
      hours: sql<
        string | null
      >`(SELECT f.opening_hours FROM ${facilities} f WHERE f.organisation_id = ${organisations.id}
        ORDER BY f.id LIMIT 1)`,
    })
    .from(organisations)
    .where(and(eq(organisations.type, "clinic"), where))
    .orderBy(asc(organisations.name));
}

/** Each clinic department's appointments still free today (Shanghai), after now. */
async function openToday(c: Context<AppEnv>) {
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
  // By the organisations' type, not a list of ids (however many clinics the street has).
  const [rows, free] = await Promise.all([
    c.var.db
      .select({ department: clinicDepartments })
      .from(clinicDepartments)
      .innerJoin(organisations, eq(organisations.id, clinicDepartments.organisationId))
      .where(
        organisationIds.length === 1
          ? eq(clinicDepartments.organisationId, organisationIds[0] ?? "")
          : eq(organisations.type, "clinic"),
      )
      .orderBy(asc(clinicDepartments.createdAt))
      .then((r) => r.map((x) => x.department)),
    openToday(c),
  ]);
  return rows.map((r) => ({
    organisationId: r.organisationId,
    id: r.id,
    name: r.name,
    services: r.services,
    description: r.description,
    openToday: free.get(r.id) ?? 0,
  }));
}

function parseHours(text: string | null): OpeningHours | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as OpeningHours;
  } catch {
    return null;
  }
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
  const at = now();
  return clinics.map(({ hours, ...k }) => {
    const own = departments.filter((d) => d.organisationId === k.id).map(({ organisationId: _o, ...d }) => d);
    // Open now, by its facility's published hours (null: none published, or no facility).
    const opening = parseHours(hours);
    const openNow = opening && hasHours(opening) ? isOpenAt(opening, at) : null;
    return { ...k, openNow, services: servicesOf(own), departments: own };
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

/**
 * The sign-in a doctor reads their tele-consultations with: a staff member of the clinic (a grant
 * its admin gave), never any account a phone number happens to name. Null for none.
 */
async function doctorAccount(c: Context<AppEnv>, clinicId: string, phone: string | null | undefined) {
  if (!phone) return null;
  const [found] = await c.var.db
    .select({ id: accounts.id })
    .from(accounts)
    .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
    .where(
      and(
        eq(accounts.phone, phone),
        eq(roleGrants.organisationId, clinicId),
        inArray(roleGrants.role, ["org_staff", "org_admin"]),
        isNull(roleGrants.revokedAt),
      ),
    )
    .limit(1);
  if (!found)
    throw new ApiError("VALIDATION_FAILED", "accountPhone: not a staff member of this clinic (grant the role first)");
  return found.id;
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

/** The most appointment slots one run makes (a week of 5-minute slots at every hour is 2,016). */
const MAX_SLOTS_PER_RUN = 3000;

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
    const accountId = await doctorAccount(c, id, input.accountPhone);
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
        detail: { doctorId, name: input.name, accountId },
      }),
    ]);
    return c.json(await answer(c, id), 201);
  })
  .openapi(patchDoctorRoute, async (c) => {
    const { doctor } = await managedDoctor(c, c.req.valid("param").id);
    const { accountPhone, ...fields } = c.req.valid("json");
    const binding =
      accountPhone === undefined ? {} : { accountId: await doctorAccount(c, doctor.organisationId, accountPhone) };
    const db = c.var.db;
    await db.batch([
      db
        .update(doctors)
        .set({ ...fields, ...binding, updatedAt: now() })
        .where(eq(doctors.id, doctor.id)),
      auditInsert(c, {
        action: "clinic.doctor_update",
        subjectType: "organisation",
        subjectId: doctor.organisationId,
        detail: { doctorId: doctor.id, fields: Object.keys(fields), ...binding },
      }),
    ]);
    return c.json(await answer(c, doctor.organisationId), 200);
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
    if (planned.length === 0) {
      throw new ApiError("VALIDATION_FAILED", "The schedule gives no appointment on these days (set it first?)");
    }
    if (planned.length > MAX_SLOTS_PER_RUN) {
      throw new ApiError("VALIDATION_FAILED", `At most ${MAX_SLOTS_PER_RUN} appointments at a time: make fewer days`);
    }
    const skipped = [...new Set(input.skipDates)].filter((d) => {
      return d >= input.from && d <= input.until && doctor.schedule.some((b) => b.weekday === isoWeekday(d));
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
      const offering = doctorOffering(doctor, kind, department?.name ?? "", clinic?.facilityId ?? null);
      offeringIds[kind] = offering.id;
      made.push({ ...offering, createdAt: at, updatedAt: at });
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
    // Every new slot in one statement (one bound list): no batch of hundreds of inserts.
    const rows = JSON.stringify(
      fresh.map((p) => ({ o: offeringIds[p.kind], s: p.startsAt, e: p.endsAt, c: p.capacity })),
    );
    for (const o of made) await db.insert(offerings).values(o).onConflictDoNothing();
    const [, , inserted = []] = await db.batch([
      auditInsert(c, {
        action: "clinic.slots_generate",
        subjectType: "organisation",
        subjectId: doctor.organisationId,
        detail: { doctorId: doctor.id, from: input.from, until: input.until, planned: fresh.length },
      }),
      made.length
        ? db
            .update(doctors)
            .set({
              clinicOfferingId: offeringIds.clinic,
              teleconsultOfferingId: offeringIds.teleconsult,
              updatedAt: at,
            })
            .where(eq(doctors.id, doctor.id))
        : db.update(doctors).set({ updatedAt: at }).where(eq(doctors.id, doctor.id)),
      insertWhere(
        db,
        slots,
        {
          id: sql`'slt_' || lower(hex(randomblob(8)))`,
          offeringId: sql`json_extract(j.value, '$.o')`,
          startsAt: sql`json_extract(j.value, '$.s')`,
          endsAt: sql`json_extract(j.value, '$.e')`,
          capacity: sql`json_extract(j.value, '$.c')`,
          createdAt: at,
          updatedAt: at,
        },
        sql`FROM json_each(${rows}) j WHERE 1`,
      )
        .onConflictDoNothing()
        .returning({ id: slots.id }),
    ]);
    return c.json({ created: inserted.length, existing: kept + fresh.length - inserted.length, skipped }, 201);
  });
