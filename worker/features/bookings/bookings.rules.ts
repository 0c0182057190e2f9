import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { ageOn, shanghaiDate } from "../../lib/shanghai";
import { DAY, HOUR } from "../../lib/time";
import { describePersonTypes } from "../persons/person-types";
import type { OfferingRow, SlotRow } from "./bookings.queries";

/** What the booking rules read of an offering. */
export type OfferingRules = Pick<
  OfferingRow,
  | "kind"
  | "teamId"
  | "minAge"
  | "communities"
  | "personTypes"
  | "priorityAge"
  | "priorityDays"
  | "opensDaysBefore"
  | "closesHoursBefore"
  | "cancelCutoffHours"
>;

export interface PersonFacts {
  birthDate: string | null;
  communityId: string | null;
  /** Person types recorded by community staff. */
  types: readonly string[];
  /**
   * Volunteer shifts only: the teams the person is an active member of when they are a registered
   * (approved) volunteer; null or absent when they are not one.
   */
  volunteerTeams?: readonly string[] | null;
}

/** Why a person may not book this offering, or null. */
export function ineligibility(
  offering: OfferingRules,
  person: PersonFacts,
  slot: Pick<SlotRow, "startsAt">,
): string | null {
  if (offering.minAge !== null) {
    if (!person.birthDate) return "A birth date is needed to check the age limit";
    if (ageOn(person.birthDate, shanghaiDate(slot.startsAt)) < offering.minAge) {
      return `Only for people aged ${offering.minAge} or over`;
    }
  }
  if (offering.communities?.length && (!person.communityId || !offering.communities.includes(person.communityId))) {
    return "Only for residents of certain communities";
  }
  if (offering.kind === "volunteer_shift") {
    if (!person.volunteerTeams) return "Only registered volunteers may sign up for volunteer shifts";
    if (offering.teamId !== null && !person.volunteerTeams.includes(offering.teamId)) {
      return "Only members of this shift's volunteer team may sign up";
    }
  }
  const required = offering.personTypes ?? [];
  if (required.length > 0 && !required.some((t) => person.types.includes(t))) {
    return `Only for people their community has registered as: ${describePersonTypes(required)}`;
  }
  return null;
}

/**
 * Why these settings would make an offering impossible to book — its window closing before it
 * opens (`closesHoursBefore` at or past `opensDaysBefore`, e.g. opening 0 days before) — or null.
 */
export function windowRefusal(offering: Pick<OfferingRules, "opensDaysBefore" | "closesHoursBefore">): string | null {
  return offering.opensDaysBefore * 24 > offering.closesHoursBefore
    ? null
    : "Booking must open before it closes: opensDaysBefore × 24 must be more than closesHoursBefore";
}

/**
 * A slot's booking window for everyone: it opens `opensDaysBefore` before the start — for people
 * aged `priorityAge` or over `priorityDays` earlier (`priorityOpensAt`) — and closes
 * `closesHoursBefore` before it.
 */
export function slotWindow(offering: OfferingRules, slot: Pick<SlotRow, "startsAt">) {
  const opensAt = slot.startsAt - offering.opensDaysBefore * DAY;
  return {
    opensAt,
    closesAt: slot.startsAt - offering.closesHoursBefore * HOUR,
    priorityOpensAt: offering.priorityAge === null ? null : opensAt - offering.priorityDays * DAY,
  };
}

/** When booking opens and closes for this person (see `slotWindow`). */
export function bookingWindow(
  offering: OfferingRules,
  person: Pick<PersonFacts, "birthDate">,
  slot: Pick<SlotRow, "startsAt">,
) {
  const { opensAt, closesAt, priorityOpensAt } = slotWindow(offering, slot);
  const priority =
    offering.priorityAge !== null &&
    person.birthDate !== null &&
    ageOn(person.birthDate, shanghaiDate(slot.startsAt)) >= offering.priorityAge;
  return { opensAt: priority ? (priorityOpensAt ?? opensAt) : opensAt, closesAt, priority };
}

/** Latest moment a booking may still be cancelled by the person. */
export function cancelDeadline(offering: OfferingRules, slot: Pick<SlotRow, "startsAt">): number {
  return slot.startsAt - offering.cancelCutoffHours * HOUR;
}

export { CHECK_IN_OPENS_BEFORE, checkInRefusal, outcomeRefusal, overRefusal } from "./bookings.timing";

// ---------- the same rules in SQL ----------
//
// A resident's booking is ONE statement (`takeForResidentQuery`: the conditional insert checks
// the session and every rule, and answers for itself), so the insert must check what
// `ineligibility` and `bookingWindow` check. These are those functions written as SQL over the aliases
// `o` (offerings), `p` (persons) and `s` (slots); change them together —
// test/worker/bookings.rules-sql.test.ts runs both over the same grid of cases and requires
// the same answers. When the insert refuses, the route runs the TypeScript rules to say why.

const raw = (n: number) => sql.raw(String(n));
/** The Shanghai calendar date of the slot's start, as `shanghaiDate(s.starts_at)`. */
const SLOT_DAY = sql`(s.starts_at / 1000 + ${raw(8 * 3600)})`;

/** `ageOn(p.birth_date, shanghaiDate(s.starts_at))`, in SQL (NULL without a birth date). */
export const AGE_AT_SLOT: SQL = sql`(CAST(strftime('%Y', ${SLOT_DAY}, 'unixepoch') AS INTEGER)
  - CAST(substr(p.birth_date, 1, 4) AS INTEGER)
  - (strftime('%m-%d', ${SLOT_DAY}, 'unixepoch') < substr(p.birth_date, 6, 5)))`;

/** `ineligibility(o, p, s) === null`, in SQL. */
export const ELIGIBLE: SQL = sql`(o.min_age IS NULL OR (p.birth_date IS NOT NULL AND ${AGE_AT_SLOT} >= o.min_age))
  AND (coalesce(json_array_length(o.communities), 0) = 0
       OR p.community_id IN (SELECT value FROM json_each(o.communities)))
  AND (coalesce(json_array_length(o.person_types), 0) = 0
       OR EXISTS (SELECT 1 FROM json_each(o.person_types) t WHERE t.value IN (SELECT value FROM json_each(p.types))))
  AND (o.kind <> 'volunteer_shift' OR EXISTS (
        SELECT 1 FROM volunteers v WHERE v.person_id = p.id AND v.status = 'approved'
          AND (o.team_id IS NULL OR EXISTS (SELECT 1 FROM volunteer_team_members m
                WHERE m.team_id = o.team_id AND m.volunteer_id = v.id AND m.status = 'active'))))`;

/** `slotWindow(o, s)`, in SQL: when booking opens for everyone, and when it closes. */
export const SLOT_OPENS_AT: SQL = sql`s.starts_at - o.opens_days_before * ${raw(DAY)}`;
export const SLOT_CLOSES_AT: SQL = sql`s.starts_at - o.closes_hours_before * ${raw(HOUR)}`;
/** `slotWindow(o, s).priorityOpensAt`, in SQL (NULL without a priority age). */
export const SLOT_PRIORITY_OPENS_AT: SQL = sql`CASE WHEN o.priority_age IS NULL THEN NULL
  ELSE ${SLOT_OPENS_AT} - o.priority_days * ${raw(DAY)} END`;

/** `bookingWindow(o, p, s)` is open at `at` (opensAt ≤ at < closesAt), in SQL. */
export function windowOpen(at: SQLWrapper): SQL {
  return sql`${at} < ${SLOT_CLOSES_AT}
    AND ${at} >= ${SLOT_OPENS_AT}
      - CASE WHEN o.priority_age IS NOT NULL AND p.birth_date IS NOT NULL AND ${AGE_AT_SLOT} >= o.priority_age
             THEN o.priority_days * ${raw(DAY)} ELSE 0 END`;
}
