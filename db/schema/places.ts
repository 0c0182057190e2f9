import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** The street's 11 community residents' committees (社区居委会). */
export const communities = sqliteTable("communities", {
  id: text("id").primaryKey(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  nameEn: text("name_en").notNull(),
  address: text("address"),
  phone: text("phone"),
  lat: real("lat").notNull(),
  lng: real("lng").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Grid cells (网格): the unit a grid worker looks after. */
export const gridCells = sqliteTable(
  "grid_cells",
  {
    id: text("id").primaryKey(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("grid_cells_community_idx").on(t.communityId)],
);

/** Residential compounds (小区), WGS-84 coordinates. */
export const compounds = sqliteTable(
  "compounds",
  {
    id: text("id").primaryKey(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id),
    gridCellId: text("grid_cell_id").references(() => gridCells.id),
    name: text("name").notNull(),
    address: text("address"),
    lat: real("lat").notNull(),
    lng: real("lng").notNull(),
    households: integer("households").notNull().default(0),
    residents: integer("residents").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("compounds_community_idx").on(t.communityId),
    uniqueIndex("compounds_community_name_uq").on(t.communityId, t.name),
  ],
);

export const ORGANISATION_TYPES = [
  "community_committee",
  "elderly_centre",
  "day_care_centre",
  "clinic",
  "training_school",
  "social_organisation",
  "street_office",
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const organisations = sqliteTable(
  "organisations",
  {
    id: text("id").primaryKey(),
    type: text("type", { enum: ORGANISATION_TYPES }).notNull(),
    name: text("name").notNull().unique(),
    nameEn: text("name_en"),
    communityId: text("community_id").references(() => communities.id),
    address: text("address"),
    phone: text("phone"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("organisations_community_idx").on(t.communityId)],
);
