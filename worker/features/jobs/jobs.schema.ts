import { z } from "zod";
import { CalendarDate } from "../../lib/calendar-fields";

/**
 * Job postings (线上招聘, plan part four 一.(五) 10): staff of an organisation publish openings of
 * their own or of local employers they help; street admins review them before residents see
 * them. Pure: the site's forms and filters import these too.
 */

export const JOB_CATEGORIES = [
  "community_service",
  "elderly_care",
  "domestic",
  "catering",
  "retail",
  "property",
  "logistics",
  "manufacturing",
  "healthcare",
  "education",
  "office",
  "other",
] as const;
export type JobCategory = (typeof JOB_CATEGORIES)[number];

export const JOB_TYPES = ["full_time", "part_time", "temporary", "internship"] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const SALARY_PERIODS = ["month", "day", "hour"] as const;
export type SalaryPeriod = (typeof SALARY_PERIODS)[number];

/**
 * pending (waiting for a street admin) → published, or rejected with a note; edited, it waits
 * again. Its organisation withdraws it, or a street admin takes it down, at any time. A
 * published posting past its last day is hidden without anyone acting (`valid_until`).
 */
export const JOB_STATUSES = ["pending", "published", "rejected", "withdrawn"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The longest a posting stays up without being renewed. */
export const JOB_MAX_DAYS = 90;

/** The last day residents may see a posting: today, or up to `JOB_MAX_DAYS` days on. */
export function validUntilProblem(validUntil: string, today: string): string | null {
  if (validUntil < today) return "validUntil must not be in the past";
  const days = (Date.parse(validUntil) - Date.parse(today)) / 86_400_000;
  if (days > JOB_MAX_DAYS) return `A posting stays up at most ${JOB_MAX_DAYS} days; renew it later`;
  return null;
}

const Id = z.string().min(1).max(64);
const Fen = z.number().int().min(0).max(100_000_000);

const jobFields = {
  organisationId: Id.meta({ description: "The publishing organisation (its staff manage the posting)" }),
  employer: z.string().trim().min(2).max(60).meta({ description: "Who hires: the organisation or a local employer" }),
  position: z.string().trim().min(2).max(40),
  category: z.enum(JOB_CATEGORIES),
  employmentType: z.enum(JOB_TYPES),
  openings: z
    .number()
    .int()
    .min(1)
    .max(999)
    .nullable()
    .meta({ description: "How many people are hired; null: not said" }),
  communityId: Id.nullable().meta({ description: "The community where the work is; null: elsewhere or several" }),
  location: z.string().trim().min(2).max(100),
  salaryMinFen: Fen.nullable(),
  salaryMaxFen: Fen.nullable(),
  salaryPeriod: z
    .enum(SALARY_PERIODS)
    .nullable()
    .meta({ description: "Per month, day or hour; null with no salary: 面议" }),
  requirements: z.string().trim().max(1000),
  description: z.string().trim().max(2000),
  contactName: z.string().trim().min(1).max(20),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,20}$/, "A phone number: digits, spaces, + - ( )"),
  validUntil: CalendarDate.meta({ description: "The last day residents see it (Asia/Shanghai)" }),
};

type SalaryFields = { salaryMinFen?: number | null; salaryMaxFen?: number | null; salaryPeriod?: SalaryPeriod | null };

/** A salary is a range with a period, or nothing (面议); `from` ≤ `to`. */
function salaryIssues(v: SalaryFields, ctx: z.RefinementCtx) {
  const min = v.salaryMinFen ?? null;
  const max = v.salaryMaxFen ?? null;
  if (min !== null && max !== null && min > max) {
    ctx.addIssue({ code: "custom", message: "salaryMinFen must not be above salaryMaxFen", path: ["salaryMaxFen"] });
  }
  if ((min !== null || max !== null) && !v.salaryPeriod) {
    ctx.addIssue({ code: "custom", message: "Say per month, day or hour", path: ["salaryPeriod"] });
  }
  if (min === null && max === null && v.salaryPeriod) {
    ctx.addIssue({ code: "custom", message: "Give an amount with the period", path: ["salaryMinFen"] });
  }
}

export const JobCreate = z
  .strictObject({
    ...jobFields,
    openings: jobFields.openings.default(null),
    communityId: jobFields.communityId.default(null),
    salaryMinFen: jobFields.salaryMinFen.default(null),
    salaryMaxFen: jobFields.salaryMaxFen.default(null),
    salaryPeriod: jobFields.salaryPeriod.default(null),
    requirements: jobFields.requirements.default(""),
    description: jobFields.description.default(""),
  })
  .superRefine(salaryIssues);
export type JobCreate = z.infer<typeof JobCreate>;

/** Fields to change; the organisation stays. The salary's three fields go together. */
const { organisationId: _organisation, ...patchable } = jobFields;
export const JobPatch = z
  .strictObject(patchable)
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change")
  .refine(
    (v) => ["salaryMinFen", "salaryMaxFen", "salaryPeriod"].filter((k) => k in v).length % 3 === 0,
    "Give salaryMinFen, salaryMaxFen and salaryPeriod together",
  )
  .superRefine(salaryIssues);
export type JobPatch = z.infer<typeof JobPatch>;

export const JobReview = z
  .strictObject({
    decision: z.enum(["approve", "reject"]),
    note: z.string().trim().min(1).max(200).optional(),
    submittedAt: z.number().int().meta({ description: "The `submittedAt` of the version the reviewer read" }),
  })
  .refine((v) => v.decision === "approve" || v.note, { message: "Say why it is rejected", path: ["note"] });

export const JobWithdraw = z.strictObject({
  reason: z.string().trim().min(1).max(200).optional(),
});

/** A posting as residents see it in lists: no contact. */
export const JobSummary = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  employer: z.string(),
  position: z.string(),
  category: z.enum(JOB_CATEGORIES),
  employmentType: z.enum(JOB_TYPES),
  openings: z.number().int().nullable(),
  communityId: z.string().nullable(),
  communityName: z.string().nullable(),
  location: z.string(),
  salaryMinFen: z.number().int().nullable(),
  salaryMaxFen: z.number().int().nullable(),
  salaryPeriod: z.enum(SALARY_PERIODS).nullable(),
  validUntil: z.string(),
  publishedAt: z.number().int().nullable(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobList = z.object({
  jobs: z.array(JobSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** One posting; the contact phone only for signed-in readers, the workflow only for its staff. */
export const Job = JobSummary.extend({
  requirements: z.string(),
  description: z.string(),
  contactName: z.string(),
  contactPhone: z.string().nullable().meta({ description: "Null when the reader is not signed in" }),
  status: z.enum(JOB_STATUSES),
  expired: z.boolean(),
  /** The reader may edit or withdraw it (its organisation's staff, street admins). */
  canManage: z.boolean(),
  canReview: z.boolean(),
  reviewNote: z.string().nullable(),
  submittedAt: z.number().int(),
  reviewedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
});
export type Job = z.infer<typeof Job>;

/** A posting in the staff's lists: its workflow, no contact. */
export const StaffJob = JobSummary.extend({
  status: z.enum(JOB_STATUSES),
  expired: z.boolean(),
  reviewNote: z.string().nullable(),
  submittedAt: z.number().int(),
});
export const StaffJobList = z.object({ jobs: z.array(StaffJob) });

export const JOB_PAGE_SIZE = 20;

export const JobListQuery = z.strictObject({
  q: z.string().trim().max(40).optional().meta({ description: "Words in the position, employer or location" }),
  category: z.enum(JOB_CATEGORIES).optional(),
  type: z.enum(JOB_TYPES).optional(),
  communityId: Id.optional(),
  page: z.coerce.number().int().min(1).max(500).optional(),
});
export type JobListQuery = z.infer<typeof JobListQuery>;

export const StaffJobListQuery = z.strictObject({
  view: z.enum(["mine", "queue"]).optional().meta({
    description: "mine: my organisations' postings (street admins: all); queue: waiting for review (street admins)",
  }),
});
