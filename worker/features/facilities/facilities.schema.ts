import { z } from "zod";
import { FACILITY_KIND_CODES, TIERS } from "./kinds";
import { OpeningHours } from "./opening-hours";

const Id = z.string().min(1).max(64);

/** Jinzhong Street lies around 39.19 N, 117.29 E; accept the wider Dongli/Hebei district area. */
export const STREET_BOUNDS = { minLat: 39.05, maxLat: 39.35, minLng: 117.1, maxLng: 117.5 } as const;

export const Latitude = z
  .number()
  .min(STREET_BOUNDS.minLat, "Outside the street's area")
  .max(STREET_BOUNDS.maxLat, "Outside the street's area");
export const Longitude = z
  .number()
  .min(STREET_BOUNDS.minLng, "Outside the street's area")
  .max(STREET_BOUNDS.maxLng, "Outside the street's area");

export const FacilityKindCode = z.enum(FACILITY_KIND_CODES);

export const Accessibility = z.object({ stepFree: z.boolean(), lift: z.boolean(), accessibleToilet: z.boolean() });

const facilityFields = {
  kind: FacilityKindCode,
  name: z.string().trim().min(1).max(80),
  lat: Latitude,
  lng: Longitude,
  address: z.string().trim().max(200).nullable(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,20}$/, "A phone number: digits, spaces, + - ( )")
    .nullable(),
  communityId: Id.nullable(),
  organisationId: Id.nullable(),
  services: z.array(z.string().trim().min(1).max(40)).max(30),
  accessibility: Accessibility,
  openingHours: OpeningHours,
  notes: z.string().trim().max(500).nullable(),
};

export const FacilityInput = z.strictObject({
  ...facilityFields,
  address: facilityFields.address.default(null),
  phone: facilityFields.phone.default(null),
  communityId: facilityFields.communityId.default(null),
  organisationId: facilityFields.organisationId.default(null),
  services: facilityFields.services.default([]),
  accessibility: facilityFields.accessibility.default({ stepFree: false, lift: false, accessibleToilet: false }),
  openingHours: facilityFields.openingHours.default({ weekly: {}, exceptions: [] }),
  notes: facilityFields.notes.default(null),
});
export type FacilityInput = z.infer<typeof FacilityInput>;

/** Only the fields sent change: no defaults here, so an omitted field is never reset. */
export const FacilityPatch = z
  .strictObject(facilityFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");

export const Facility = z.object({
  id: z.string(),
  kind: FacilityKindCode,
  name: z.string(),
  lat: z.number(),
  lng: z.number(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  communityId: z.string().nullable(),
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
  services: z.array(z.string()),
  accessibility: Accessibility,
  openingHours: OpeningHours,
  openNow: z
    .boolean()
    .nullable()
    .meta({ description: "Open at the moment of the answer; null when the place publishes no hours" }),
  notes: z.string().nullable(),
  updatedAt: z.number().int(),
});
export type Facility = z.infer<typeof Facility>;

export const FacilityList = z.object({ facilities: z.array(Facility), total: z.number().int() });

export const FacilityListQuery = z.strictObject({
  communityId: Id.optional(),
  kind: FacilityKindCode.optional(),
  q: z.string().trim().min(1).max(50).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export const PACE_VALUES = ["normal", "elder"] as const;
export const Pace = z.enum(PACE_VALUES).default("normal");

const Bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const NearbyQuery = z
  .strictObject({
    compoundId: Id.optional(),
    communityId: Id.optional(),
    lat: z.coerce.number().min(STREET_BOUNDS.minLat).max(STREET_BOUNDS.maxLat).optional(),
    lng: z.coerce.number().min(STREET_BOUNDS.minLng).max(STREET_BOUNDS.maxLng).optional(),
    kinds: z
      .string()
      .max(600)
      .transform((s) => s.split(",").filter(Boolean))
      .pipe(z.array(FacilityKindCode).min(1))
      .optional(),
    tier: z.enum(["5", "10", "15"]).transform(Number).optional(),
    maxMinutes: z.coerce.number().int().min(1).max(30).optional(),
    openNow: Bool.optional(),
    pace: Pace,
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine(
    (q) =>
      [q.compoundId, q.communityId, q.lat !== undefined || q.lng !== undefined ? "point" : undefined].filter(Boolean)
        .length === 1,
    "Give exactly one origin: compoundId, communityId, or lat and lng",
  )
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), "Give both lat and lng");

export const Origin = z.object({
  type: z.enum(["compound", "community", "point"]),
  id: z.string().nullable(),
  name: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
});

export const Walk = z.object({
  minutes: z.number().meta({ description: "Walking minutes at the requested pace, one decimal" }),
  metres: z.number().int(),
  via: z
    .enum(["network", "estimate"])
    .meta({ description: "network: shortest path on the imported footpaths; estimate: straight line × detour factor" }),
  tier: z.union([z.literal(5), z.literal(10), z.literal(15)]).nullable(),
});

export const NearbyItem = z.object({ facility: Facility, walk: Walk });

export const NearbyResult = z.object({
  origin: Origin,
  pace: z.enum(PACE_VALUES),
  speedKmh: z.number(),
  maxMinutes: z.number(),
  items: z.array(NearbyItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type NearbyResult = z.infer<typeof NearbyResult>;

export const KindList = z.object({
  kinds: z.array(
    z.object({
      code: FacilityKindCode,
      zh: z.string(),
      en: z.string(),
      tier: z.union([z.literal(5), z.literal(10), z.literal(15)]),
      required: z.boolean(),
      sources: z.array(z.object({ standard: z.string(), title: z.string(), clause: z.string() })),
    }),
  ),
  tiers: z.array(z.number()),
});

export const CoverageCell = z.object({
  kind: FacilityKindCode,
  tier: z.number().int(),
  nearest: z
    .object({ facilityId: z.string(), name: z.string(), minutes: z.number(), via: z.enum(["network", "estimate"]) })
    .nullable(),
  covered: z.boolean(),
});
export type CoverageCell = z.infer<typeof CoverageCell>;

export const CompoundCoverage = z.object({
  compound: z.object({
    id: z.string(),
    name: z.string(),
    communityId: z.string(),
    households: z.number().int(),
    residents: z.number().int(),
  }),
  pace: z.enum(PACE_VALUES),
  cells: z.array(CoverageCell),
  gaps: z.number().int(),
  coveredTiers: z.array(z.number().int()).meta({ description: "Tiers at which every required kind is within reach" }),
});
export type CompoundCoverage = z.infer<typeof CompoundCoverage>;

export const CommunityCoverage = z.object({
  community: z.object({ id: z.string(), name: z.string() }),
  pace: z.enum(PACE_VALUES),
  compounds: z.array(CompoundCoverage),
  kinds: z.array(
    z.object({ kind: FacilityKindCode, tier: z.number().int(), covered: z.number().int(), gaps: z.number().int() }),
  ),
});

export const StreetSummary = z.object({
  compounds: z.number().int(),
  fullyCoveredShare: z.object({ "5": z.number(), "10": z.number(), "15": z.number() }),
  gapsByKind: z.array(z.object({ kind: FacilityKindCode, tier: z.number().int(), compoundsWithGap: z.number().int() })),
  worstServed: z.array(
    z.object({ compoundId: z.string(), name: z.string(), communityId: z.string(), gaps: z.number().int() }),
  ),
});

export const StreetCoverage = z.object({
  summary: z.object({ normal: StreetSummary, elder: StreetSummary }),
  pace: z.enum(PACE_VALUES),
  grid: z.array(CompoundCoverage),
});

export const CoverageQuery = z.strictObject({ pace: Pace });

export const IMPORT_FORMATS = ["csv", "geojson"] as const;

export const ImportRequest = z.strictObject({
  format: z.enum(IMPORT_FORMATS),
  content: z.string().min(1).max(3_000_000),
});

export const ImportResult = z.object({ created: z.number().int(), updated: z.number().int() });

export const ExportQuery = z.strictObject({ format: z.enum(IMPORT_FORMATS), communityId: Id.optional() });

export const NetworkImport = z.strictObject({
  name: z.string().trim().min(1).max(80),
  geojson: z.unknown(),
});

export const NetworkStatus = z.object({
  network: z
    .object({
      name: z.string(),
      nodeCount: z.number().int(),
      edgeCount: z.number().int(),
      importedAt: z.number().int(),
      compounds: z.number().int(),
      facilities: z.number().int(),
      distances: z.number().int(),
    })
    .nullable(),
});

export const IdParam = z.strictObject({ id: Id });
export const Deleted = z.object({ deleted: z.literal(true) });
export { TIERS };
