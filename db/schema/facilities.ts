import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { OpeningHours } from "../../worker/features/facilities/opening-hours";
import { accounts } from "./people";
import { communities, compounds, organisations } from "./places";

/** A place in the 15-minute life circle. `kind` is a code from worker/features/facilities/kinds.ts. */
export const facilities = sqliteTable(
  "facilities",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    lat: real("lat").notNull(),
    lng: real("lng").notNull(),
    address: text("address"),
    phone: text("phone"),
    communityId: text("community_id").references(() => communities.id),
    organisationId: text("organisation_id").references(() => organisations.id),
    services: text("services", { mode: "json" }).$type<string[]>().notNull(),
    stepFree: integer("step_free", { mode: "boolean" }).notNull().default(false),
    lift: integer("lift", { mode: "boolean" }).notNull().default(false),
    accessibleToilet: integer("accessible_toilet", { mode: "boolean" }).notNull().default(false),
    openingHours: text("opening_hours", { mode: "json" }).$type<OpeningHours>().notNull(),
    notes: text("notes"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    updatedByAccountId: text("updated_by_account_id").references(() => accounts.id),
  },
  (t) => [
    index("facilities_lat_idx").on(t.lat),
    index("facilities_kind_idx").on(t.kind),
    index("facilities_community_idx").on(t.communityId),
  ],
);

/** The imported walking network (one row: "current"), its graph kept for recomputing a facility. */
export const walkNetworks = sqliteTable("walk_networks", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  graph: text("graph", { mode: "json" })
    .$type<{ nodes: Array<[number, number]>; edges: Array<[number, number, number]> }>()
    .notNull(),
  nodeCount: integer("node_count").notNull(),
  edgeCount: integer("edge_count").notNull(),
  importedAt: integer("imported_at").notNull(),
  importedByAccountId: text("imported_by_account_id").references(() => accounts.id),
});

/** Compounds and facilities that reach the network, and where they join it. */
export const walkMembers = sqliteTable(
  "walk_members",
  {
    memberType: text("member_type", { enum: ["compound", "facility"] }).notNull(),
    memberId: text("member_id").notNull(),
    node: integer("node").notNull(),
    snapMetres: real("snap_metres").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberType, t.memberId] })],
);

/**
 * Network walking distance from a compound to a facility, for pairs within 20 minutes. A pair of
 * members without a row is farther than that; a place that is not a member falls back to the
 * straight-line estimate.
 */
export const walkDistances = sqliteTable(
  "walk_distances",
  {
    compoundId: text("compound_id")
      .notNull()
      .references(() => compounds.id),
    facilityId: text("facility_id").notNull(),
    metres: integer("metres").notNull(),
  },
  (t) => [primaryKey({ columns: [t.compoundId, t.facilityId] }), index("walk_distances_facility_idx").on(t.facilityId)],
);
