import { sql } from "drizzle-orm";
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts, persons } from "./people";
import { communities } from "./places";
import { volunteerServiceRecords, volunteers, volunteerTeams } from "./volunteers";

/**
 * The three kinds of evaluation the plan asks for (服务对象评价, 团队评价, 定期考核), each kept as
 * given: a rating by the person served, a team leader's evaluation of a member for a quarter, and
 * the periodic assessment that weighs them with approved hours and no-shows.
 */

/** The person served (or someone acting for them) rates a completed service record, once. */
export const volunteerServiceRatings = sqliteTable(
  "volunteer_service_ratings",
  {
    id: text("id").primaryKey(),
    recordId: text("record_id")
      .notNull()
      .unique()
      .references(() => volunteerServiceRecords.id),
    volunteerId: text("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    /** The person served, as the record named them when rated. */
    personId: text("person_id")
      .notNull()
      .references(() => persons.id),
    stars: integer("stars").notNull(),
    comment: text("comment"),
    ratedByAccountId: text("rated_by_account_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("service_ratings_volunteer_idx").on(t.volunteerId, t.createdAt),
    check("service_ratings_stars_ck", sql`${t.stars} BETWEEN 1 AND 5`),
  ],
);

/** A team's evaluation of one member for one quarter ("2026-Q4"): by a leader or the team's staff. */
export const volunteerTeamEvaluations = sqliteTable(
  "volunteer_team_evaluations",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => volunteerTeams.id),
    volunteerId: text("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    period: text("period").notNull(),
    punctuality: integer("punctuality").notNull(),
    attitude: integer("attitude").notNull(),
    skill: integer("skill").notNull(),
    comment: text("comment"),
    evaluatedByAccountId: text("evaluated_by_account_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("team_evaluations_uq").on(t.teamId, t.volunteerId, t.period),
    index("team_evaluations_volunteer_idx").on(t.volunteerId, t.period),
    check(
      "team_evaluations_scores_ck",
      sql`${t.punctuality} BETWEEN 1 AND 5 AND ${t.attitude} BETWEEN 1 AND 5 AND ${t.skill} BETWEEN 1 AND 5`,
    ),
  ],
);

/**
 * The assessment weights the street admin sets. Each change is a new row (the newest is in force),
 * so every assessment names the weights it was computed with.
 */
export const volunteerAssessmentSettings = sqliteTable("volunteer_assessment_settings", {
  id: text("id").primaryKey(),
  hoursWeight: integer("hours_weight").notNull(),
  ratingWeight: integer("rating_weight").notNull(),
  teamWeight: integer("team_weight").notNull(),
  /** Points taken off the score for each shift not turned up to. */
  noShowPenalty: integer("no_show_penalty").notNull(),
  /** Approved hours in a quarter that earn the whole hours part (four times that for a year). */
  quarterTargetHours: integer("quarter_target_hours").notNull(),
  /** Lowest scores of two, three, four and five stars. */
  starThresholds: text("star_thresholds", { mode: "json" }).$type<[number, number, number, number]>().notNull(),
  createdByAccountId: text("created_by_account_id").references(() => accounts.id),
  createdAt: integer("created_at").notNull(),
});

/** One computation of a period's assessment: when, by whom (null: the scheduled job), with what weights. */
export const volunteerAssessmentRuns = sqliteTable("volunteer_assessment_runs", {
  /** "2026-Q3" or "2026". */
  period: text("period").primaryKey(),
  settingsId: text("settings_id").references(() => volunteerAssessmentSettings.id),
  /** The weights in force, as a copy (the defaults have no row). */
  settings: text("settings", { mode: "json" }).notNull(),
  /** The period had ended when this was computed; before that the results are provisional. */
  final: integer("final", { mode: "boolean" }).notNull(),
  assessed: integer("assessed").notNull(),
  computedByAccountId: text("computed_by_account_id").references(() => accounts.id),
  computedAt: integer("computed_at").notNull(),
});

/** A volunteer's assessment for a period: the parts, the score (0–100) and the stars (1–5). */
export const volunteerAssessments = sqliteTable(
  "volunteer_assessments",
  {
    id: text("id").primaryKey(),
    period: text("period")
      .notNull()
      .references(() => volunteerAssessmentRuns.period),
    volunteerId: text("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    /** The volunteer's community when assessed: whose staff see it. */
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id),
    minutes: integer("minutes").notNull(),
    ratingCount: integer("rating_count").notNull(),
    ratingAverage: real("rating_average"),
    teamCount: integer("team_count").notNull(),
    teamAverage: real("team_average"),
    noShows: integer("no_shows").notNull(),
    score: real("score").notNull(),
    stars: integer("stars").notNull(),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [
    uniqueIndex("assessments_period_volunteer_uq").on(t.period, t.volunteerId),
    index("assessments_volunteer_idx").on(t.volunteerId, t.period),
    index("assessments_community_idx").on(t.communityId, t.period),
  ],
);
