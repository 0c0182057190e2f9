import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { PersonTypeCode } from "../../worker/features/persons/person-types";
import { communities, compounds, organisations } from "./places";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** Someone who logs in with a phone number. */
export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  phone: text("phone").notNull().unique(),
  displayName: text("display_name"),
  communityId: text("community_id").references(() => communities.id),
  compoundId: text("compound_id").references(() => compounds.id),
  locale: text("locale", { enum: LOCALES }).notNull().default("zh-CN"),
  elderMode: integer("elder_mode", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  lastLoginAt: integer("last_login_at"),
});

export const GENDERS = ["female", "male", "unspecified"] as const;

/**
 * Someone who is served. An account has exactly one own person (`accountId`); managed persons
 * (no phone, e.g. an 85-year-old) have none and are reached through proxy links.
 * An ID number is never stored in full: last four digits plus a keyed hash.
 */
export const persons = sqliteTable(
  "persons",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").references(() => accounts.id),
    name: text("name").notNull(),
    birthDate: text("birth_date"),
    gender: text("gender", { enum: GENDERS }).notNull().default("unspecified"),
    phone: text("phone"),
    communityId: text("community_id").references(() => communities.id),
    compoundId: text("compound_id").references(() => compounds.id),
    address: text("address"),
    idLast4: text("id_last4"),
    idHash: text("id_hash"),
    notes: text("notes"),
    /** Person types (codes from worker/features/persons/person-types.ts) recorded by community staff. */
    types: text("types", { mode: "json" }).$type<PersonTypeCode[]>().notNull().default([]),
    createdByAccountId: text("created_by_account_id").references(() => accounts.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("persons_account_uq").on(t.accountId).where(sql`${t.accountId} IS NOT NULL`),
    uniqueIndex("persons_id_hash_uq").on(t.idHash).where(sql`${t.idHash} IS NOT NULL`),
    index("persons_community_idx").on(t.communityId),
  ],
);

export const ROLES = ["volunteer", "org_staff", "org_admin", "community_staff", "grid_worker", "street_admin"] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_TYPES = ["street", "community", "organisation"] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

/**
 * A role held within a scope. Everyone is a resident; grants add the rest.
 * org_* roles are scoped to an organisation, community_staff and grid_worker to a community,
 * street_admin and volunteer to the street.
 */
export const roleGrants = sqliteTable(
  "role_grants",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    role: text("role", { enum: ROLES }).notNull(),
    scopeType: text("scope_type", { enum: SCOPE_TYPES }).notNull(),
    communityId: text("community_id").references(() => communities.id),
    organisationId: text("organisation_id").references(() => organisations.id),
    /** "street", "community:<id>" or "organisation:<id>": one active grant per account, role and scope. */
    scopeKey: text("scope_key").notNull(),
    grantedByAccountId: text("granted_by_account_id").references(() => accounts.id),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedByAccountId: text("revoked_by_account_id").references(() => accounts.id),
  },
  (t) => [
    index("role_grants_account_idx").on(t.accountId),
    uniqueIndex("role_grants_active_uq").on(t.accountId, t.role, t.scopeKey).where(sql`${t.revokedAt} IS NULL`),
  ],
);

export const CONSENT_METHODS = ["in_person", "signed_paper", "person_confirmed"] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export const PROXY_SCOPES = ["all", "bookings", "health"] as const;
export type ProxyScope = (typeof PROXY_SCOPES)[number];

export const PROXY_STATUSES = ["pending", "active", "declined", "revoked"] as const;
export type ProxyStatus = (typeof PROXY_STATUSES)[number];

export const RELATIONSHIPS = ["child", "spouse", "parent", "sibling", "relative", "grid_worker", "other"] as const;

/**
 * Who may act for whom, and the consent behind it: who recorded it, when, how, for what scope,
 * and its revocation. `pending` links are requests waiting for the person's own confirmation.
 */
export const proxyLinks = sqliteTable(
  "proxy_links",
  {
    id: text("id").primaryKey(),
    proxyAccountId: text("proxy_account_id")
      .notNull()
      .references(() => accounts.id),
    personId: text("person_id")
      .notNull()
      .references(() => persons.id),
    relationship: text("relationship", { enum: RELATIONSHIPS }).notNull(),
    scope: text("scope", { enum: PROXY_SCOPES }).notNull().default("all"),
    status: text("status", { enum: PROXY_STATUSES }).notNull(),
    requestedByAccountId: text("requested_by_account_id")
      .notNull()
      .references(() => accounts.id),
    consentMethod: text("consent_method", { enum: CONSENT_METHODS }),
    consentRecordedByAccountId: text("consent_recorded_by_account_id").references(() => accounts.id),
    consentRecordedAt: integer("consent_recorded_at"),
    consentNote: text("consent_note"),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
    revokedAt: integer("revoked_at"),
    revokedByAccountId: text("revoked_by_account_id").references(() => accounts.id),
    revokeReason: text("revoke_reason"),
  },
  (t) => [
    index("proxy_links_proxy_idx").on(t.proxyAccountId),
    index("proxy_links_person_idx").on(t.personId),
    uniqueIndex("proxy_links_live_uq")
      .on(t.proxyAccountId, t.personId)
      .where(sql`${t.status} IN ('pending', 'active')`),
  ],
);
