import { z } from "zod";
import { RELATIONSHIP_VALUES } from "../persons/persons.schema";

export const LOCALE_VALUES = ["zh-CN", "en"] as const;
export const ROLE_VALUES = [
  "volunteer",
  "org_staff",
  "org_admin",
  "community_staff",
  "grid_worker",
  "street_admin",
] as const;
export const SCOPE_TYPE_VALUES = ["street", "community", "organisation"] as const;

export const RoleGrant = z.object({
  id: z.string(),
  role: z.enum(ROLE_VALUES),
  scopeType: z.enum(SCOPE_TYPE_VALUES),
  communityId: z.string().nullable(),
  organisationId: z.string().nullable(),
  scopeName: z.string().nullable(),
  /** The organisation's type for an organisation-scoped role (e.g. clinic), else null. */
  organisationType: z.string().nullable(),
});
export type RoleGrant = z.infer<typeof RoleGrant>;

export const ActablePerson = z.object({
  id: z.string(),
  name: z.string(),
  birthDate: z.string().nullable(),
  communityId: z.string().nullable(),
  types: z
    .array(z.string())
    .meta({ description: "Person types recorded by community staff (see GET /api/person-types)" }),
  relationship: z
    .enum(["self", ...RELATIONSHIP_VALUES])
    .meta({ description: '"self" for the account\'s own person, else the proxy relationship' }),
  linkId: z.string().nullable(),
  scope: z.string(),
});
export type ActablePerson = z.infer<typeof ActablePerson>;

export const Me = z.object({
  account: z.object({
    id: z.string(),
    phoneMasked: z.string(),
    displayName: z.string().nullable(),
    communityId: z.string().nullable(),
    compoundId: z.string().nullable(),
    locale: z.enum(LOCALE_VALUES),
    elderMode: z.boolean(),
    birthDate: z.string().nullable().meta({ description: "My own person's birth date (age rules of services)" }),
    createdAt: z.number().int(),
  }),
  roles: z.array(RoleGrant),
  isStaff: z.boolean(),
  persons: z.array(ActablePerson),
  pendingProxyRequests: z.number().int(),
  unreadNotifications: z.number().int(),
});
export type Me = z.infer<typeof Me>;

export const MeUpdate = z
  .strictObject({
    displayName: z.string().trim().min(1).max(50),
    communityId: z.string().min(1).max(64).nullable(),
    compoundId: z.string().min(1).max(64).nullable(),
    locale: z.enum(LOCALE_VALUES),
    elderMode: z.boolean(),
    birthDate: z.iso
      .date()
      .refine((d) => d >= "1900-01-01" && d <= new Date().toISOString().slice(0, 10), "A birth date in the past")
      .nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");
export type MeUpdate = z.infer<typeof MeUpdate>;
