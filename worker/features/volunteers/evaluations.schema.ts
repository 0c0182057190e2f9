import { z } from "zod";

const Id = z.string().min(1).max(64);

/** A quarter ("2026-Q4"): what team evaluations are given for. */
export const Quarter = z.string().regex(/^20\d{2}-Q[1-4]$/, "A quarter such as 2026-Q4");
/** A quarter or a whole year ("2026"): what assessments are computed for. */
export const Period = z.string().regex(/^20\d{2}(-Q[1-4])?$/, "A quarter such as 2026-Q4, or a year such as 2026");

/** The first and last Beijing dates of a period, both included. */
export function periodDates(period: string): { from: string; to: string } {
  const year = period.slice(0, 4);
  const q = period.length > 4 ? Number(period.slice(-1)) : 0;
  if (q === 0) return { from: `${year}-01-01`, to: `${year}-12-31` };
  const first = (q - 1) * 3 + 1;
  const last = first + 2;
  const lastDay = new Date(Date.UTC(Number(year), last, 0)).getUTCDate();
  const mm = (n: number) => String(n).padStart(2, "0");
  return { from: `${year}-${mm(first)}-01`, to: `${year}-${mm(last)}-${lastDay}` };
}

/** The quarter a Beijing date (YYYY-MM-DD) falls in. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarter before one ("2026-Q1" → "2025-Q4"). */
export function previousQuarter(quarter: string): string {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(-1));
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

const Score = z.number().int().min(1).max(5);
const Comment = z.string().trim().max(300);

export const RatingBody = z.strictObject({ stars: Score, comment: Comment.optional() });
export type RatingBody = z.infer<typeof RatingBody>;

export const Rating = z.object({
  recordId: z.string(),
  stars: z.number().int(),
  comment: z.string().nullable(),
  createdAt: z.number().int(),
});

export const ServedPersonBody = z.strictObject({
  personId: Id.nullable().meta({ description: "The person served; null clears it (not once rated)" }),
});

/** A volunteer service received by a person the reader acts for, to rate once it is done. */
export const ServedRecord = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  title: z.string(),
  organisationName: z.string(),
  volunteerName: z.string().meta({ description: "Family name, the rest masked" }),
  volunteerNumber: z.string().nullable(),
  startedAt: z.number().int(),
  minutes: z.number().int().nullable(),
  status: z.enum(["open", "pending", "approved", "rejected"]),
  canRate: z.boolean(),
  rating: Rating.nullable(),
});
export type ServedRecord = z.infer<typeof ServedRecord>;
export const ServedRecordList = z.object({ records: z.array(ServedRecord) });

export const TeamEvaluationBody = z.strictObject({
  volunteerId: Id,
  period: Quarter,
  punctuality: Score,
  attitude: Score,
  skill: Score,
  comment: Comment.optional(),
});
export type TeamEvaluationBody = z.infer<typeof TeamEvaluationBody>;

export const TeamEvaluation = z.object({
  teamId: z.string(),
  teamName: z.string(),
  organisationName: z.string(),
  volunteerId: z.string(),
  period: z.string(),
  punctuality: z.number().int(),
  attitude: z.number().int(),
  skill: z.number().int(),
  comment: z.string().nullable(),
  updatedAt: z.number().int(),
});
export type TeamEvaluation = z.infer<typeof TeamEvaluation>;

export const StarThresholds = z
  .tuple([
    z.number().min(1).max(100),
    z.number().min(1).max(100),
    z.number().min(1).max(100),
    z.number().min(1).max(100),
  ])
  .refine((t) => t[0] < t[1] && t[1] < t[2] && t[2] < t[3], "Each star needs a higher score than the one before");

/** The weights of the periodic assessment (the street admin's to set). */
export const AssessmentSettings = z
  .strictObject({
    hoursWeight: z.number().int().min(0).max(100),
    ratingWeight: z.number().int().min(0).max(100),
    teamWeight: z.number().int().min(0).max(100),
    noShowPenalty: z.number().int().min(0).max(50),
    quarterTargetHours: z.number().int().min(1).max(500),
    starThresholds: StarThresholds,
  })
  .refine((v) => v.hoursWeight + v.ratingWeight + v.teamWeight > 0, {
    message: "At least one weight must be above zero",
    path: ["hoursWeight"],
  });
export type AssessmentSettings = z.infer<typeof AssessmentSettings>;

export const DEFAULT_ASSESSMENT_SETTINGS: AssessmentSettings = {
  hoursWeight: 50,
  ratingWeight: 25,
  teamWeight: 25,
  noShowPenalty: 5,
  quarterTargetHours: 24,
  starThresholds: [40, 60, 75, 90],
};

export const AssessmentSettingsAnswer = z.object({
  settings: AssessmentSettings,
  changedAt: z.number().int().nullable().meta({ description: "Null: the defaults, never changed" }),
});

/** What an assessment is computed from: a volunteer's period in numbers. */
export interface AssessmentParts {
  minutes: number;
  ratingCount: number;
  ratingAverage: number | null;
  teamCount: number;
  teamAverage: number | null;
  noShows: number;
}

/**
 * The assessment formula (documented in the README): three parts scored 0–100 —
 * hours H = 100 × min(1, approved hours ÷ target), ratings R = 25 × (average stars − 1),
 * team T = 25 × (average of the evaluations' mean score − 1) — weighed by the admin's weights
 * over the parts that have data (no ratings or no team evaluation: that part is left out, not
 * counted as zero), minus the no-show penalty for each shift missed; clamped to 0–100 and
 * rounded to one decimal. Stars: one, plus one for each threshold the score reaches.
 */
export function assessmentScore(
  parts: AssessmentParts,
  settings: AssessmentSettings,
  period: string,
): { score: number; stars: number } {
  const quarters = period.length === 4 ? 4 : 1;
  const targetMinutes = settings.quarterTargetHours * quarters * 60;
  const weighed: Array<[number, number]> = [[settings.hoursWeight, 100 * Math.min(1, parts.minutes / targetMinutes)]];
  if (parts.ratingCount > 0 && parts.ratingAverage !== null) {
    weighed.push([settings.ratingWeight, 25 * (parts.ratingAverage - 1)]);
  }
  if (parts.teamCount > 0 && parts.teamAverage !== null) {
    weighed.push([settings.teamWeight, 25 * (parts.teamAverage - 1)]);
  }
  const weights = weighed.reduce((sum, [w]) => sum + w, 0);
  const base = weights === 0 ? 0 : weighed.reduce((sum, [w, value]) => sum + w * value, 0) / weights;
  const raw = base - settings.noShowPenalty * parts.noShows;
  const score = Math.round(Math.min(100, Math.max(0, raw)) * 10) / 10;
  const stars = 1 + settings.starThresholds.filter((t) => score >= t).length;
  return { score, stars };
}

export const Assessment = z.object({
  period: z.string(),
  volunteerId: z.string(),
  realName: z.string(),
  volunteerNumber: z.string().nullable(),
  communityName: z.string(),
  minutes: z.number().int(),
  ratingCount: z.number().int(),
  ratingAverage: z.number().nullable(),
  teamCount: z.number().int(),
  teamAverage: z.number().nullable(),
  noShows: z.number().int(),
  score: z.number(),
  stars: z.number().int(),
  final: z.boolean().meta({
    description: "False: computed before the week after the period, when its hours are approved (provisional)",
  }),
  computedAt: z.number().int(),
});
export type Assessment = z.infer<typeof Assessment>;

export const AssessmentRun = z.object({
  period: z.string(),
  final: z.boolean(),
  assessed: z.number().int(),
  settings: AssessmentSettings,
  computedAt: z.number().int(),
});

export const AssessmentBody = z.strictObject({ period: Period });

export const StaffAssessmentQuery = z.strictObject({ period: Period, communityId: Id.optional() });

/** The most assessments one list gives (best first). */
export const ASSESSMENT_LIST_MAX = 1000;

export const StaffAssessments = z.object({
  run: AssessmentRun.nullable(),
  assessments: z.array(Assessment),
  truncated: z.boolean().meta({ description: "More than the list's maximum: choose a community" }),
});

export const MyEvaluations = z.object({
  ratings: z
    .array(
      z.object({
        stars: z.number().int(),
        comment: z.string().nullable(),
        organisationName: z.string(),
        month: z.string().meta({ description: "YYYY-MM of the service" }),
      }),
    )
    .meta({ description: "Newest first, without the service or the person: the people served rate freely" }),
  teamEvaluations: z.array(TeamEvaluation),
  assessments: z.array(Assessment),
  settings: AssessmentSettings,
});

export const TeamEvaluationQuery = z.strictObject({ period: Quarter });

export const TeamEvaluationSheet = z.object({
  period: z.string(),
  members: z.array(
    z.object({
      volunteerId: z.string(),
      realName: z.string(),
      number: z.string().nullable(),
      role: z.enum(["leader", "member"]),
      isMe: z.boolean().meta({ description: "The reader: nobody evaluates themselves" }),
      evaluation: TeamEvaluation.nullable(),
      assessment: Assessment.pick({ period: true, score: true, stars: true, final: true }).nullable(),
    }),
  ),
});
