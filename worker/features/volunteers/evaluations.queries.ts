import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import {
  bookings,
  offerings,
  slots,
  volunteerAssessmentRuns,
  volunteerAssessmentSettings,
  volunteerAssessments,
  volunteerServiceRatings,
  volunteerServiceRecords,
  volunteers,
  volunteerTeamEvaluations,
} from "../../../db/schema";
import type { Statement } from "../../lib/batch";
import { newId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { fromShanghai, shanghaiDate } from "../../lib/shanghai";
import { DAY } from "../../lib/time";
import {
  type AssessmentParts,
  type AssessmentSettings,
  assessmentScore,
  DEFAULT_ASSESSMENT_SETTINGS,
  periodDates,
  previousQuarter,
  quarterOf,
} from "./evaluations.schema";

/** The assessment weights in force: the newest the street admin set, else the defaults. */
export async function currentSettings(
  db: Db,
): Promise<{ id: string | null; settings: AssessmentSettings; changedAt: number | null }> {
  const [row] = await db
    .select()
    .from(volunteerAssessmentSettings)
    .orderBy(desc(volunteerAssessmentSettings.createdAt), desc(volunteerAssessmentSettings.id))
    .limit(1);
  if (!row) return { id: null, settings: DEFAULT_ASSESSMENT_SETTINGS, changedAt: null };
  return {
    id: row.id,
    settings: {
      hoursWeight: row.hoursWeight,
      ratingWeight: row.ratingWeight,
      teamWeight: row.teamWeight,
      noShowPenalty: row.noShowPenalty,
      quarterTargetHours: row.quarterTargetHours,
      starThresholds: row.starThresholds,
    },
    changedAt: row.createdAt,
  };
}

/** The UTC span of a period: [start, end). */
export function periodSpan(period: string): { start: number; end: number; to: string } {
  const { from, to } = periodDates(period);
  return { start: fromShanghai(from, "00:00"), end: fromShanghai(to, "00:00") + DAY, to };
}

/** The quarters a period's team evaluations come from (a year: its four). */
function quartersOf(period: string): string[] {
  return period.length === 4 ? [1, 2, 3, 4].map((q) => `${period}-Q${q}`) : [period];
}

/** Assessments one INSERT carries (as a single JSON parameter). */
const ROWS_PER_INSERT = 1000;

const ASSESSMENT_FIELDS = [
  "id",
  "period",
  "volunteerId",
  "communityId",
  "minutes",
  "ratingCount",
  "ratingAverage",
  "teamCount",
  "teamAverage",
  "noShows",
  "score",
  "stars",
  "computedAt",
] as const;

/**
 * Computes (or recomputes) a period's assessment for every registered volunteer (approved or
 * suspended) with anything in it — approved service, a rating, a team evaluation or a no-show —
 * and replaces the period's results in one batch. Final when the period had ended. Reads and
 * write are not one transaction: a rating given in between counts at the next computation.
 */
export async function computeAssessment(
  db: Db,
  period: string,
  at: number,
  accountId: string | null,
  /** Written in the same batch (an audit row). */
  also: Statement[] = [],
) {
  const { start, end } = periodSpan(period);
  const inPeriod = and(gte(volunteerServiceRecords.startedAt, start), lt(volunteerServiceRecords.startedAt, end));
  const [{ id: settingsId, settings }, [hours, ratings, team, noShows, registered]] = await Promise.all([
    currentSettings(db),
    db.batch([
      db
        .select({
          volunteerId: volunteerServiceRecords.volunteerId,
          minutes: sql<number>`sum(${volunteerServiceRecords.minutes})`,
        })
        .from(volunteerServiceRecords)
        .where(and(eq(volunteerServiceRecords.status, "approved"), inPeriod))
        .groupBy(volunteerServiceRecords.volunteerId),
      db
        .select({
          volunteerId: volunteerServiceRatings.volunteerId,
          count: sql<number>`count(*)`,
          average: sql<number>`avg(${volunteerServiceRatings.stars})`,
        })
        .from(volunteerServiceRatings)
        .innerJoin(volunteerServiceRecords, eq(volunteerServiceRecords.id, volunteerServiceRatings.recordId))
        // A record rejected after it was rated no longer counts, nor does its rating.
        .where(and(inPeriod, inArray(volunteerServiceRecords.status, ["pending", "approved"])))
        .groupBy(volunteerServiceRatings.volunteerId),
      db
        .select({
          volunteerId: volunteerTeamEvaluations.volunteerId,
          count: sql<number>`count(*)`,
          average: sql<number>`avg((${volunteerTeamEvaluations.punctuality} + ${volunteerTeamEvaluations.attitude} + ${volunteerTeamEvaluations.skill}) / 3.0)`,
        })
        .from(volunteerTeamEvaluations)
        .where(inArray(volunteerTeamEvaluations.period, quartersOf(period)))
        .groupBy(volunteerTeamEvaluations.volunteerId),
      db
        .select({ volunteerId: volunteers.id, count: sql<number>`count(*)` })
        .from(bookings)
        .innerJoin(slots, eq(slots.id, bookings.slotId))
        .innerJoin(offerings, eq(offerings.id, slots.offeringId))
        .innerJoin(volunteers, eq(volunteers.personId, bookings.personId))
        .where(
          and(
            eq(bookings.status, "no_show"),
            eq(offerings.kind, "volunteer_shift"),
            gte(slots.startsAt, start),
            lt(slots.startsAt, end),
          ),
        )
        .groupBy(volunteers.id),
      db
        .select({ id: volunteers.id, communityId: volunteers.communityId })
        .from(volunteers)
        .where(inArray(volunteers.status, ["approved", "suspended"])),
    ]),
  ]);
  const byId = <T extends { volunteerId: string }>(rows: T[]) => new Map(rows.map((r) => [r.volunteerId, r]));
  const [h, r, t, n] = [byId(hours), byId(ratings), byId(team), byId(noShows)];
  // Final once the week after the period is over: its hours have been approved by then.
  const final = at >= end + ASSESS_AFTER_DAYS * DAY;
  const rows = registered.flatMap((v) => {
    const parts: AssessmentParts = {
      minutes: Number(h.get(v.id)?.minutes ?? 0),
      ratingCount: Number(r.get(v.id)?.count ?? 0),
      ratingAverage: r.has(v.id) ? round2(Number(r.get(v.id)?.average)) : null,
      teamCount: Number(t.get(v.id)?.count ?? 0),
      teamAverage: t.has(v.id) ? round2(Number(t.get(v.id)?.average)) : null,
      noShows: Number(n.get(v.id)?.count ?? 0),
    };
    if (parts.minutes === 0 && parts.ratingCount === 0 && parts.teamCount === 0 && parts.noShows === 0) return [];
    return [
      {
        id: newId("vas"),
        period,
        volunteerId: v.id,
        communityId: v.communityId,
        ...parts,
        ...assessmentScore(parts, settings, period),
        computedAt: at,
      },
    ];
  });
  // The rows travel as one JSON parameter per statement (D1 allows 100 parameters, and a
  // Worker a limited number of statements), unpacked by json_each.
  const inserts = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = JSON.stringify(rows.slice(i, i + ROWS_PER_INSERT));
    const field = (name: keyof (typeof rows)[number]) => sql.raw(`json_extract(value, '$.${name}')`);
    inserts.push(
      insertWhere(
        db,
        volunteerAssessments,
        Object.fromEntries(ASSESSMENT_FIELDS.map((name) => [name, field(name)])),
        sql`FROM json_each(${chunk}) WHERE 1`,
      ),
    );
  }
  const run = {
    period,
    settingsId,
    settings,
    final,
    assessed: rows.length,
    computedByAccountId: accountId,
    computedAt: at,
  };
  await db.batch([
    db
      .insert(volunteerAssessmentRuns)
      .values(run)
      .onConflictDoUpdate({
        target: volunteerAssessmentRuns.period,
        set: { settingsId, settings, final, assessed: rows.length, computedByAccountId: accountId, computedAt: at },
      }),
    db.delete(volunteerAssessments).where(eq(volunteerAssessments.period, period)),
    ...inserts,
    ...also,
  ]);
  return { period, final, assessed: rows.length, settings, computedAt: at };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Days after a quarter ends that its hours have to be approved before the scheduled assessment. */
export const ASSESS_AFTER_DAYS = 7;

/**
 * The scheduled job's part: a week into a quarter, the quarter before is assessed (and, in
 * January's week, the year before) unless a final assessment of it exists. Safe to run twice.
 */
export async function assessDuePeriods(db: Db, at: number) {
  const today = shanghaiDate(at);
  const last = previousQuarter(quarterOf(today));
  const due = [last];
  if (last.endsWith("Q4")) due.push(last.slice(0, 4));
  const runs = await db
    .select({ period: volunteerAssessmentRuns.period })
    .from(volunteerAssessmentRuns)
    .where(and(inArray(volunteerAssessmentRuns.period, due), eq(volunteerAssessmentRuns.final, true)));
  const done = new Set(runs.map((row) => row.period));
  const weekIn = shanghaiDate(periodSpan(last).end + ASSESS_AFTER_DAYS * DAY) <= today;
  for (const period of due) {
    if (weekIn && !done.has(period)) await computeAssessment(db, period, at, null);
  }
}
