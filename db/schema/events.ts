import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { EVENT_AUDIENCES, EVENT_WORKFLOW, type EventAccessibility } from "../../worker/features/events/events.schema";
import type { Recurrence } from "../../worker/features/events/recurrence.schema";
import { offerings } from "./bookings";
import { accounts } from "./people";
import { communities } from "./places";

/**
 * What makes an offering of kind `event` a community event: its audience, place, accessibility,
 * contact and where it stands in the approval workflow. The event's category is the offering's
 * `category`; its occurrences are the offering's slots (a no-sign-up event's have no places).
 * The offering stays `draft` until the event is published, so the booking engine, the public
 * lists and every booking path ignore it until then.
 */
export const eventDetails = sqliteTable(
  "event_details",
  {
    offeringId: text("offering_id")
      .primaryKey()
      .references(() => offerings.id),
    /** Whose staff approve it and whose calendar shows it; null: a street-wide event of the street office. */
    communityId: text("community_id").references(() => communities.id),
    audience: text("audience", { enum: EVENT_AUDIENCES }).notNull().default("all"),
    /** Where, when it is not (only) one of the facilities: "社区广场东侧". */
    placeText: text("place_text"),
    accessibility: text("accessibility", { mode: "json" }).notNull().$type<EventAccessibility[]>().default(sql`'[]'`),
    accessibilityNote: text("accessibility_note"),
    contact: text("contact").notNull(),
    /** Sign-up through the booking engine; false: come along, no places taken. */
    signup: integer("signup", { mode: "boolean" }).notNull(),
    /** The pattern the occurrences were made from, kept to say it ("每周六"); null: one-off or hand-made. */
    recurrence: text("recurrence", { mode: "json" }).$type<Recurrence>(),
    workflow: text("workflow", { enum: EVENT_WORKFLOW }).notNull(),
    /** Why the community sent it back, or why it was cancelled. */
    reviewNote: text("review_note"),
    createdByAccountId: text("created_by_account_id")
      .notNull()
      .references(() => accounts.id),
    submittedAt: integer("submitted_at"),
    reviewedByAccountId: text("reviewed_by_account_id").references(() => accounts.id),
    reviewedAt: integer("reviewed_at"),
    publishedAt: integer("published_at"),
    cancelledAt: integer("cancelled_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("event_details_queue_idx").on(t.workflow, t.communityId, t.submittedAt),
    index("event_details_published_idx").on(t.workflow, t.publishedAt),
    check("event_details_contact_ck", sql`length(${t.contact}) > 0`),
  ],
);
