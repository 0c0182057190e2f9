import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import {
  bookings,
  facilities,
  offerings,
  organisations,
  persons,
  slots,
  volunteers,
  volunteerTeamMembers,
  volunteerTeams,
} from "../../../db/schema";
import { maskName } from "../../lib/mask-name";
import { createRouter, errors, jsonResponse } from "../../lib/openapi";
import { DAY, now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import { volunteerTeamsOf } from "./volunteers.queries";

/** The service or event a shift helps with, and its organisation. */
const supported = alias(offerings, "supported");
const supportedOrganisation = alias(organisations, "supported_organisation");

/** How far ahead the shift list looks. */
const SHIFT_DAYS_AHEAD = 31;

export const Shift = z.object({
  slotId: z.string(),
  offeringId: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  skills: z.array(z.string()),
  organisationName: z.string(),
  facilityName: z.string().nullable(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  capacity: z.number().int(),
  free: z.number().int(),
  note: z.string().nullable(),
  myBooking: z
    .object({ id: z.string(), status: z.string() })
    .nullable()
    .meta({ description: "My own live booking on this shift, when signed in" }),
  supports: z
    .object({ offeringId: z.string(), title: z.string(), organisationName: z.string() })
    .nullable()
    .meta({ description: "The service or event the shift helps with" }),
  servedPersonName: z.string().nullable().meta({
    description:
      "The one person this time serves (a home visit): family name, the rest masked; to registered volunteers only",
  }),
  iLead: z
    .boolean()
    .meta({ description: "I lead the shift's team: I may show its check-in code (GET /slots/{id}/shift-code)" }),
  canSignUp: z
    .boolean()
    .meta({ description: "I am a registered volunteer (in the shift's team, if it has one) and not on it yet" }),
});

const ShiftList = z.object({ shifts: z.array(Shift), registered: z.boolean() });

const ShiftQuery = z.strictObject({
  organisationId: z.string().min(1).max(64).optional(),
  teamId: z.string().min(1).max(64).optional(),
});

const listRoute = createRoute({
  method: "get",
  path: "/volunteer-shifts",
  tags: ["volunteer service records"],
  summary: `Open volunteer shifts of the next ${SHIFT_DAYS_AHEAD} days (with my sign-ups when signed in)`,
  request: { query: ShiftQuery },
  responses: { 200: jsonResponse(ShiftList, "Shifts"), ...errors(400) },
});

export const shiftsRoutes = createRouter().openapi(listRoute, async (c) => {
  const query = c.req.valid("query");
  const db = c.var.db;
  const at = now();
  const where = [
    eq(offerings.kind, "volunteer_shift"),
    eq(offerings.status, "active"),
    eq(slots.status, "open"),
    gt(slots.endsAt, at),
    lt(slots.startsAt, at + SHIFT_DAYS_AHEAD * DAY),
  ];
  if (query.organisationId) where.push(eq(offerings.organisationId, query.organisationId));
  if (query.teamId) where.push(eq(offerings.teamId, query.teamId));
  const rows = await db
    .select({
      slot: slots,
      offering: offerings,
      organisationName: organisations.name,
      facilityName: facilities.name,
      teamName: volunteerTeams.name,
      supportedTitle: supported.title,
      supportedOrganisationName: supportedOrganisation.name,
      servedPersonName: persons.name,
    })
    .from(slots)
    .innerJoin(offerings, eq(offerings.id, slots.offeringId))
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .leftJoin(facilities, eq(facilities.id, offerings.facilityId))
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, offerings.teamId))
    .leftJoin(supported, and(eq(supported.id, offerings.supportsOfferingId), eq(supported.status, "active")))
    .leftJoin(supportedOrganisation, eq(supportedOrganisation.id, supported.organisationId))
    .leftJoin(persons, eq(persons.id, slots.servedPersonId))
    .where(and(...where))
    .orderBy(asc(slots.startsAt), asc(slots.id))
    .limit(200);

  const account = await currentAccount(c);
  const [self] = account
    ? await db.select({ id: persons.id }).from(persons).where(eq(persons.accountId, account.id)).limit(1)
    : [];
  const teams = self ? await volunteerTeamsOf(db, self.id) : null;
  // My bookings on the listed window's slots (a subquery: the list may hold more slots than D1 binds).
  const mine =
    self && rows.length > 0
      ? await db
          .select({ id: bookings.id, slotId: bookings.slotId, status: bookings.status })
          .from(bookings)
          .where(
            and(
              eq(bookings.personId, self.id),
              sql`${bookings.slotId} IN (SELECT ${slots.id} FROM ${slots} WHERE ${slots.endsAt} > ${at}
                AND ${slots.startsAt} < ${at + SHIFT_DAYS_AHEAD * DAY})`,
              sql`${bookings.status} IN ('pending', 'confirmed', 'waitlisted', 'checked_in', 'completed')`,
            ),
          )
      : [];
  const led =
    self && teams && teams.length > 0
      ? (
          await db
            .select({ teamId: volunteerTeamMembers.teamId })
            .from(volunteerTeamMembers)
            .innerJoin(volunteers, eq(volunteers.id, volunteerTeamMembers.volunteerId))
            .where(
              and(
                eq(volunteers.personId, self.id),
                eq(volunteers.status, "approved"),
                eq(volunteerTeamMembers.status, "active"),
                eq(volunteerTeamMembers.role, "leader"),
              ),
            )
        ).map((m) => m.teamId)
      : [];
  const bySlot = new Map(mine.map((b) => [b.slotId, { id: b.id, status: b.status }]));
  return c.json(
    {
      registered: teams !== null,
      shifts: rows.map((row) => {
        const { slot, offering, organisationName, facilityName, teamName } = row;
        const myBooking = bySlot.get(slot.id) ?? null;
        return {
          slotId: slot.id,
          offeringId: offering.id,
          title: offering.title,
          description: offering.description,
          category: offering.category,
          skills: offering.skills ?? [],
          organisationName,
          facilityName,
          teamId: offering.teamId,
          teamName,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          capacity: slot.capacity,
          free: Math.max(0, slot.capacity - slot.heldCount),
          note: slot.note,
          myBooking,
          supports:
            offering.supportsOfferingId && row.supportedTitle
              ? {
                  offeringId: offering.supportsOfferingId,
                  title: row.supportedTitle,
                  organisationName: row.supportedOrganisationName ?? "",
                }
              : null,
          // Whom a home visit serves is for registered volunteers only, masked.
          servedPersonName: teams !== null && row.servedPersonName !== null ? maskName(row.servedPersonName) : null,
          iLead: offering.teamId !== null && led.includes(offering.teamId),
          canSignUp: teams !== null && !myBooking && (offering.teamId === null || teams.includes(offering.teamId)),
        };
      }),
    },
    200,
  );
});
