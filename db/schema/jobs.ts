import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { JOB_CATEGORIES, JOB_STATUSES, JOB_TYPES, SALARY_PERIODS } from "../../worker/features/jobs/jobs.schema";
import { accounts } from "./people";
import { communities, organisations } from "./places";

/**
 * A job posting (线上招聘) published by an organisation's staff and reviewed by a street admin.
 * Residents see it while it is `published` and `valid_until` (a Shanghai date) is today or
 * later: an expired posting drops out of every public read without anyone acting.
 */
export const jobPostings = sqliteTable(
  "job_postings",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    employer: text("employer").notNull(),
    position: text("position").notNull(),
    category: text("category", { enum: JOB_CATEGORIES }).notNull(),
    employmentType: text("employment_type", { enum: JOB_TYPES }).notNull(),
    openings: integer("openings"),
    /** Where the work is; null: outside the street's communities, or several. */
    communityId: text("community_id").references(() => communities.id),
    location: text("location").notNull(),
    salaryMinFen: integer("salary_min_fen"),
    salaryMaxFen: integer("salary_max_fen"),
    /** Null with no amounts: 面议 (to be agreed). */
    salaryPeriod: text("salary_period", { enum: SALARY_PERIODS }),
    requirements: text("requirements").notNull().default(""),
    description: text("description").notNull().default(""),
    contactName: text("contact_name").notNull(),
    contactPhone: text("contact_phone").notNull(),
    /** The last day residents see it, YYYY-MM-DD in Asia/Shanghai. */
    validUntil: text("valid_until").notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull(),
    /** Why it was rejected or taken down. */
    reviewNote: text("review_note"),
    createdByAccountId: text("created_by_account_id")
      .notNull()
      .references(() => accounts.id),
    submittedAt: integer("submitted_at").notNull(),
    reviewedByAccountId: text("reviewed_by_account_id").references(() => accounts.id),
    reviewedAt: integer("reviewed_at"),
    publishedAt: integer("published_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("job_postings_public_idx").on(t.status, t.validUntil),
    index("job_postings_org_idx").on(t.organisationId, t.updatedAt),
    check(
      "job_postings_salary_ck",
      sql`${t.salaryMinFen} IS NULL OR ${t.salaryMaxFen} IS NULL OR ${t.salaryMinFen} <= ${t.salaryMaxFen}`,
    ),
  ],
);
