import { z } from "zod";

export const ORGANISATION_TYPE_VALUES = [
  "community_committee",
  "elderly_centre",
  "day_care_centre",
  "clinic",
  "training_school",
  "social_organisation",
  "street_office",
] as const;

export const Community = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
  gridCellCount: z.number().int(),
  compoundCount: z.number().int(),
});
export type Community = z.infer<typeof Community>;

export const Compound = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
  households: z.number().int(),
  residents: z.number().int(),
});
export type Compound = z.infer<typeof Compound>;

export const Organisation = z.object({
  id: z.string(),
  type: z.enum(ORGANISATION_TYPE_VALUES),
  name: z.string(),
  nameEn: z.string().nullable(),
  communityId: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
});
export type Organisation = z.infer<typeof Organisation>;

export const CommunityList = z.object({ communities: z.array(Community) });
export const CompoundList = z.object({ compounds: z.array(Compound) });
export const OrganisationList = z.object({ organisations: z.array(Organisation) });

export const IdParam = z.strictObject({ id: z.string().min(1).max(64) });
export const OrganisationQuery = z.strictObject({
  type: z.enum(ORGANISATION_TYPE_VALUES).optional(),
  communityId: z.string().min(1).max(64).optional(),
});
