import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, gte, inArray, isNull, like, lt, sql } from "drizzle-orm";
import Papa from "papaparse";
import { z } from "zod";
import { bookings, offerings, organisations, persons, roleGrants, slots } from "../../../db/schema";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { SPREADSHEET_FORMULA } from "../../lib/csv";
import { ApiError } from "../../lib/errors";
import { maskName } from "../../lib/mask-name";
import { cookieAuth, createRouter, errors, jsonResponse, NoQuery } from "../../lib/openapi";
import { maskPhone } from "../../lib/phone";
import { fromShanghai, shanghaiDate, shanghaiTime } from "../../lib/shanghai";
import { DAY, now } from "../../lib/time";
import { findBooking, findOffering } from "./bookings.queries";
import { EXPORT_MAX_DAYS, IdParam, OFFERING_KIND_VALUES } from "./bookings.schema";

const DaySlot = z.object({
  id: z.string(),
  offeringId: z.string(),
  offeringTitle: z.string(),
  offeringKind: z.enum(OFFERING_KIND_VALUES),
  organisationName: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  capacity: z.number().int(),
  taken: z.number().int(),
  waitlisted: z.number().int(),
  checkedIn: z.number().int(),
  status: z.enum(["open", "cancelled"]),
  servedPersonName: z
    .string()
    .nullable()
    .meta({ description: "Volunteer shifts: the one person this time serves, family name and the rest masked" }),
});

const daySlotsRoute = createRoute({
  method: "get",
  path: "/staff/slots",
  tags: ["bookings"],
  summary: "Organisation staff: a day's slots of my organisations with fill level (default: today, Asia/Shanghai)",
  security: cookieAuth,
  request: {
    query: z.strictObject({ date: z.iso.date().optional(), organisationId: z.string().min(1).max(64).optional() }),
  },
  responses: {
    200: jsonResponse(z.object({ date: z.string(), slots: z.array(DaySlot) }), "Slots"),
    ...errors(400, 401, 403),
  },
});

const revealRoute = createRoute({
  method: "post",
  path: "/bookings/{id}/reveal-phone",
  tags: ["bookings"],
  summary: "Organisation staff: show the full phone number of a booked person (audited)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(z.object({ phone: z.string().nullable() }), "Phone"), ...errors(400, 401, 404) },
});

const searchRoute = createRoute({
  method: "get",
  path: "/staff/person-search",
  tags: ["bookings"],
  summary:
    "Organisation staff booking for a walk-in or phone caller: find a person by exact name and either the last " +
    "four digits of their phone or, for someone without a phone, their birth year (never by name alone, so the " +
    "search cannot list residents)",
  security: cookieAuth,
  request: {
    query: z
      .strictObject({
        name: z.string().trim().min(1).max(50),
        phoneLast4: z
          .string()
          .regex(/^\d{4}$/)
          .optional(),
        birthYear: z
          .string()
          .regex(/^(19|20)\d{2}$/)
          .optional(),
      })
      .refine((q) => (q.phoneLast4 === undefined) !== (q.birthYear === undefined), "Give phoneLast4 or birthYear"),
  },
  responses: {
    200: jsonResponse(
      z.object({
        persons: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            phoneMasked: z.string().nullable(),
            birthYear: z.string().nullable(),
          }),
        ),
      }),
      "Matches",
    ),
    ...errors(400, 401, 403),
  },
});

const exportRoute = createRoute({
  method: "get",
  path: "/offerings/{id}/bookings.csv",
  tags: ["bookings"],
  summary:
    "Organisation staff: bookings of an offering in a date range (at most 366 days) as CSV (phones masked); audited",
  security: cookieAuth,
  request: {
    params: IdParam,
    query: z.strictObject({ from: z.iso.date().optional(), to: z.iso.date().optional() }),
  },
  responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...errors(400, 401, 404) },
});

const orgStaffRoute = createRoute({
  method: "get",
  path: "/organisations/{id}/staff",
  tags: ["bookings"],
  summary:
    "Staff of the organisation (or a street admin): its active staff members by name, to assign work to — no phone numbers",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: {
    200: jsonResponse(
      z.object({
        staff: z.array(z.object({ accountId: z.string(), name: z.string(), role: z.enum(["org_staff", "org_admin"]) })),
      }),
      "Staff",
    ),
    ...errors(400, 401, 403, 404),
  },
});

export const bookingStaffRoutes = createRouter()
  .openapi(orgStaffRoute, async (c) => {
    const account = await requireStaff(c);
    const { id } = c.req.valid("param");
    if (!isStreetAdmin(account) && !organisationScopes(account).has(id)) {
      throw new ApiError("NOT_FOUND", "Organisation not found");
    }
    const rows = await c.var.db
      .select({ accountId: roleGrants.accountId, name: persons.name, role: roleGrants.role })
      .from(roleGrants)
      .innerJoin(persons, eq(persons.accountId, roleGrants.accountId))
      .where(
        and(
          eq(roleGrants.organisationId, id),
          inArray(roleGrants.role, ["org_staff", "org_admin"]),
          isNull(roleGrants.revokedAt),
        ),
      )
      .orderBy(asc(persons.name));
    // One entry per person: an admin who is also listed as staff appears once, as admin.
    const byAccount = new Map<string, { accountId: string; name: string; role: "org_staff" | "org_admin" }>();
    for (const r of rows) {
      const role = r.role === "org_admin" ? "org_admin" : "org_staff";
      const seen = byAccount.get(r.accountId);
      if (!seen || role === "org_admin") byAccount.set(r.accountId, { accountId: r.accountId, name: r.name, role });
    }
    return c.json({ staff: [...byAccount.values()] }, 200);
  })
  .openapi(daySlotsRoute, async (c) => {
    const account = await requireStaff(c);
    const { date, organisationId } = c.req.valid("query");
    const day = date ?? shanghaiDate(now());
    const mine = isStreetAdmin(account) ? null : [...organisationScopes(account)];
    if (mine && mine.length === 0) throw new ApiError("FORBIDDEN", "Organisation staff only");
    if (organisationId && mine && !mine.includes(organisationId))
      throw new ApiError("NOT_FOUND", "Organisation not found");
    const orgFilter = organisationId ? [organisationId] : mine;
    const start = fromShanghai(day, "00:00");
    const rows = await c.var.db
      .select({
        id: slots.id,
        offeringId: slots.offeringId,
        offeringTitle: offerings.title,
        offeringKind: offerings.kind,
        organisationName: organisations.name,
        startsAt: slots.startsAt,
        endsAt: slots.endsAt,
        capacity: slots.capacity,
        status: slots.status,
        taken: sql<number>`(SELECT count(*) FROM bookings b WHERE b.slot_id = slots.id AND b.status IN ('pending', 'confirmed', 'checked_in', 'completed'))`,
        waitlisted: sql<number>`(SELECT count(*) FROM bookings b WHERE b.slot_id = slots.id AND b.status = 'waitlisted')`,
        checkedIn: sql<number>`(SELECT count(*) FROM bookings b WHERE b.slot_id = slots.id AND b.status IN ('checked_in', 'completed'))`,
        servedPersonName: sql<string | null>`(SELECT p.name FROM persons p WHERE p.id = slots.served_person_id)`,
      })
      .from(slots)
      .innerJoin(offerings, eq(offerings.id, slots.offeringId))
      .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
      .where(
        and(
          gte(slots.startsAt, start),
          lt(slots.startsAt, start + DAY),
          ...(orgFilter ? [inArray(offerings.organisationId, orgFilter)] : []),
        ),
      )
      .orderBy(asc(slots.startsAt))
      .limit(500);
    return c.json(
      {
        date: day,
        slots: rows.map((r) => ({ ...r, servedPersonName: r.servedPersonName ? maskName(r.servedPersonName) : null })),
      },
      200,
    );
  })
  .openapi(revealRoute, async (c) => {
    const account = await requireStaff(c);
    const row = await findBooking(c.var.db, c.req.valid("param").id);
    if (!row || !staffOfOrganisation(account, row.offering.organisationId)) {
      throw new ApiError("NOT_FOUND", "Booking not found");
    }
    await auditInsert(c, {
      action: "booking.reveal_phone",
      subjectType: "booking",
      subjectId: row.booking.id,
      personId: row.booking.personId,
    });
    return c.json({ phone: row.personPhone }, 200);
  })
  .openapi(searchRoute, async (c) => {
    const account = await requireStaff(c);
    if (!isStreetAdmin(account) && organisationScopes(account).size === 0) {
      throw new ApiError("FORBIDDEN", "Organisation staff only");
    }
    const { name, phoneLast4, birthYear } = c.req.valid("query");
    // By birth year only those without a phone: anyone else is found by their number's end.
    const second = phoneLast4
      ? like(persons.phone, `%${phoneLast4}`)
      : and(isNull(persons.phone), like(persons.birthDate, `${birthYear}-%`));
    const rows = await c.var.db
      .select({ id: persons.id, name: persons.name, phone: persons.phone, birthDate: persons.birthDate })
      .from(persons)
      .where(and(eq(persons.name, name), second))
      .limit(10);
    // Who looked up a resident, by what (the name searched is as much as the answer's).
    await auditInsert(c, {
      action: "person.search",
      subjectType: "street",
      subjectId: "walk-in",
      detail: { name, ...(phoneLast4 ? { phoneLast4 } : { birthYear }), results: rows.length },
    });
    return c.json(
      {
        persons: rows.map((p) => ({
          id: p.id,
          name: p.name,
          phoneMasked: maskPhone(p.phone),
          birthYear: p.birthDate?.slice(0, 4) ?? null,
        })),
      },
      200,
    );
  })
  .openapi(exportRoute, async (c) => {
    const account = await requireStaff(c);
    const row = await findOffering(c.var.db, c.req.valid("param").id);
    if (!row || !staffOfOrganisation(account, row.offering.organisationId)) {
      throw new ApiError("NOT_FOUND", "Offering not found");
    }
    const { from, to } = c.req.valid("query");
    const start = fromShanghai(from ?? shanghaiDate(now() - 30 * DAY), "00:00");
    const end = fromShanghai(to ?? shanghaiDate(now() + 30 * DAY), "00:00") + DAY;
    if (end <= start) throw new ApiError("VALIDATION_FAILED", "to must not be before from");
    if (end - start > EXPORT_MAX_DAYS * DAY) {
      throw new ApiError("VALIDATION_FAILED", `Export at most ${EXPORT_MAX_DAYS} days at a time`);
    }
    // Names and notes (which may tell of health needs) leave the system in this file: recorded.
    await auditInsert(c, {
      action: "bookings.export",
      subjectType: "offering",
      subjectId: row.offering.id,
      detail: { from: shanghaiDate(start), to: shanghaiDate(end - DAY) },
    });
    const rows = await c.var.db
      .select({
        id: bookings.id,
        startsAt: slots.startsAt,
        person: persons.name,
        phone: persons.phone,
        status: bookings.status,
        actorRole: bookings.actorRole,
        channel: bookings.channel,
        code: bookings.code,
        notes: bookings.notes,
        rating: bookings.rating,
      })
      .from(bookings)
      .innerJoin(slots, eq(slots.id, bookings.slotId))
      .innerJoin(persons, eq(persons.id, bookings.personId))
      .where(and(eq(bookings.offeringId, row.offering.id), gte(slots.startsAt, start), lt(slots.startsAt, end)))
      .orderBy(asc(slots.startsAt), asc(bookings.createdAt));
    const local = (at: number) => `${shanghaiDate(at)} ${shanghaiTime(at)}`;
    // Notes and names are typed by residents: a cell starting with = + - @ is written as text
    // (a leading '), so a spreadsheet opening the export does not run it as a formula.
    const csv = Papa.unparse(
      {
        fields: [
          "booking_id",
          "starts_at",
          "person",
          "phone",
          "status",
          "booked_by",
          "channel",
          "code",
          "notes",
          "rating",
        ],
        data: rows.map((r) => [
          r.id,
          local(r.startsAt),
          r.person,
          maskPhone(r.phone) ?? "",
          r.status,
          r.actorRole,
          r.channel,
          r.code,
          r.notes ?? "",
          r.rating ?? "",
        ]),
      },
      { escapeFormulae: SPREADSHEET_FORMULA },
    );
    return c.body(`\uFEFF${csv}\r\n`, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="bookings-${row.offering.id}.csv"`,
    });
  });
