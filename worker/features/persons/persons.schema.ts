import { z } from "zod";
import { Phone } from "../auth/auth.schema";
import { idNumberBirthDate, isValidIdNumber } from "./id-number";
import { PERSON_TYPE_CODES } from "./person-types";

export const GENDER_VALUES = ["female", "male", "unspecified"] as const;
export const RELATIONSHIP_VALUES = [
  "child",
  "spouse",
  "parent",
  "sibling",
  "relative",
  "grid_worker",
  "other",
] as const;
export const PROXY_SCOPE_VALUES = ["all", "bookings", "health"] as const;
/** How staff recorded consent; `person_confirmed` is set only by the person's own confirmation. */
export const STAFF_CONSENT_METHODS = ["in_person", "signed_paper"] as const;
export const CONSENT_METHOD_VALUES = ["in_person", "signed_paper", "person_confirmed"] as const;
export const PROXY_STATUS_VALUES = ["pending", "active", "declined", "revoked"] as const;

const Id = z.string().min(1).max(64);
const IsoDate = z.iso.date();

export const IdNumber = z
  .string()
  .trim()
  .refine(isValidIdNumber, "Not a valid 18-character ID number")
  .meta({ description: "Stored only as last four digits plus a keyed hash" });

export const PersonType = z.enum(PERSON_TYPE_CODES);

/** A person's types: each once, from the catalogue (`GET /api/person-types`). */
export const PersonTypes = z
  .array(PersonType)
  .max(PERSON_TYPE_CODES.length)
  .refine((codes) => new Set(codes).size === codes.length, "List each person type once")
  .meta({ description: "Set only by community staff, grid workers and street admins" });

/** The fields staff record about a person, validated, without defaults. */
const personFields = {
  name: z.string().trim().min(1).max(50),
  birthDate: IsoDate,
  gender: z.enum(GENDER_VALUES),
  compoundId: Id,
  address: z.string().trim().max(200),
  phone: Phone,
  notes: z.string().trim().max(500),
  types: PersonTypes,
};

export const PersonCreate = z
  .strictObject({
    name: personFields.name,
    birthDate: personFields.birthDate,
    gender: personFields.gender.default("unspecified"),
    communityId: Id,
    compoundId: personFields.compoundId.optional(),
    address: personFields.address.optional(),
    phone: personFields.phone.optional(),
    idNumber: IdNumber.optional(),
    notes: personFields.notes.optional(),
    types: personFields.types.optional(),
  })
  // The ID number carries the birth date: a mistyped one would decide age-based eligibility
  // (60+, the 80+ priority window) wrongly.
  // (An ID number refused on its own is not compared: its own message says what is wrong.)
  .refine((p) => !p.idNumber || !isValidIdNumber(p.idNumber) || idNumberBirthDate(p.idNumber) === p.birthDate, {
    message: "The birth date does not match the ID number",
    path: ["birthDate"],
    params: { messageKey: "invalid.idBirthDate" },
  });
export type PersonCreate = z.infer<typeof PersonCreate>;

/** Staff's changes to a person: at least one field; null clears an optional one. */
export const PersonPatch = z
  .strictObject({
    name: personFields.name,
    birthDate: personFields.birthDate,
    gender: personFields.gender,
    compoundId: personFields.compoundId.nullable(),
    address: personFields.address.nullable(),
    phone: personFields.phone.nullable(),
    notes: personFields.notes.nullable(),
    types: personFields.types,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");
export type PersonPatch = z.infer<typeof PersonPatch>;

export const PersonTypeList = z.object({
  types: z.array(z.object({ code: PersonType, zh: z.string(), en: z.string() })),
});

export const Person = z.object({
  id: z.string(),
  name: z.string(),
  birthDate: z.string().nullable(),
  gender: z.enum(GENDER_VALUES),
  phoneMasked: z.string().nullable(),
  idMasked: z.string().nullable(),
  communityId: z.string().nullable(),
  compoundId: z.string().nullable(),
  address: z.string().nullable(),
  types: z.array(PersonType),
  managed: z.boolean().meta({ description: "True when the person has no account of their own" }),
  createdAt: z.number().int(),
});
export type Person = z.infer<typeof Person>;

export const PersonList = z.object({ persons: z.array(Person), total: z.number().int(), pageSize: z.number().int() });

export const PersonListQuery = z.strictObject({
  communityId: Id.optional(),
  q: z.string().trim().min(1).max(50).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export const ProxyLink = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z
    .string()
    .meta({ description: "Empty on your own pending requests: a name is shown only once the person confirms" }),
  personPhoneMasked: z.string().nullable(),
  proxyAccountId: z.string(),
  proxyName: z.string().nullable(),
  proxyPhoneMasked: z.string().nullable(),
  relationship: z.enum(RELATIONSHIP_VALUES),
  scope: z.enum(PROXY_SCOPE_VALUES),
  status: z.enum(PROXY_STATUS_VALUES),
  consentMethod: z.enum(CONSENT_METHOD_VALUES).nullable(),
  consentRecordedAt: z.number().int().nullable(),
  consentNote: z.string().nullable(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});
export type ProxyLink = z.infer<typeof ProxyLink>;

export const ProxyLinkList = z.object({ links: z.array(ProxyLink) });

export const ProxyLinkCreate = z.strictObject({
  proxyPhone: Phone,
  relationship: z.enum(RELATIONSHIP_VALUES),
  scope: z.enum(PROXY_SCOPE_VALUES).default("all"),
  consentMethod: z.enum(STAFF_CONSENT_METHODS),
  consentNote: z.string().trim().max(500).optional(),
});
export type ProxyLinkCreate = z.infer<typeof ProxyLinkCreate>;

export const ProxyRequestCreate = z.strictObject({
  phone: Phone,
  relationship: z.enum(RELATIONSHIP_VALUES),
  scope: z.enum(PROXY_SCOPE_VALUES).default("all"),
});
export type ProxyRequestCreate = z.infer<typeof ProxyRequestCreate>;

export const ProxyRequestSent = z.object({ request: ProxyLink });

export const ProxyRequests = z.object({ incoming: z.array(ProxyLink), outgoing: z.array(ProxyLink) });

export const RevokeBody = z.strictObject({ reason: z.string().trim().max(200).optional() });

export const IdParam = z.strictObject({ id: Id });
