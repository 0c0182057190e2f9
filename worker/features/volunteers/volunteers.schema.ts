import { z } from "zod";
import { GUARDIAN_CONSENT_METHODS, VOLUNTEER_STATUSES } from "../../../db/schema/volunteers";
import { Phone } from "../auth/auth.schema";
import { IdNumber } from "../persons/persons.schema";

/** What a volunteer can offer; the site words each code in both languages. */
export const VOLUNTEER_SKILLS = [
  "elderly_care",
  "companionship",
  "medical",
  "first_aid",
  "psychology",
  "tutoring",
  "digital_help",
  "culture_arts",
  "sports",
  "legal",
  "repair",
  "cooking",
  "driving",
  "photography",
  "event_support",
  "environment",
  "sign_language",
  "translation",
] as const;

export type VolunteerSkill = (typeof VOLUNTEER_SKILLS)[number];

/** Languages and dialects a volunteer speaks (anything else goes in the skills note). */
export const VOLUNTEER_LANGUAGES = [
  "mandarin",
  "tianjin",
  "cantonese",
  "english",
  "japanese",
  "korean",
  "sign",
] as const;

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const DAY_PARTS = ["am", "pm", "eve"] as const;
/** The weekly grid of when a volunteer can usually serve: "mon-am" … "sun-eve". */
export const AVAILABILITY_CELLS = WEEKDAYS.flatMap((d) => DAY_PARTS.map((p) => `${d}-${p}` as const));

export const EMERGENCY_RELATIONSHIPS = ["parent", "spouse", "child", "sibling", "relative", "friend", "other"] as const;
export const GUARDIAN_RELATIONSHIPS = ["parent", "grandparent", "relative", "legal_guardian"] as const;

/** The version of the volunteer code (志愿者守则) the site shows; agreeing records it. */
export const VOLUNTEER_CODE_VERSION = "2026-11";

/** Below this age nobody may register; below `ADULT_AGE` a guardian must consent. */
export const MIN_VOLUNTEER_AGE = 14;
export const ADULT_AGE = 18;

const Id = z.string().min(1).max(64);

function distinct<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item)
    .max(max)
    .refine((list) => new Set(list).size === list.length, "List each value once");
}

/** What a volunteer may change about themselves after applying. */
const profileFields = {
  skills: distinct(z.enum(VOLUNTEER_SKILLS), VOLUNTEER_SKILLS.length),
  skillsNote: z.string().trim().max(300),
  languages: distinct(z.enum(VOLUNTEER_LANGUAGES), VOLUNTEER_LANGUAGES.length),
  availability: distinct(z.enum(AVAILABILITY_CELLS as [string, ...string[]]), AVAILABILITY_CELLS.length),
  emergencyName: z.string().trim().min(1).max(30),
  emergencyPhone: Phone,
  emergencyRelationship: z.enum(EMERGENCY_RELATIONSHIPS),
  onLeaderboard: z.boolean(),
};

export const Guardian = z.strictObject({
  name: z.string().trim().min(1).max(30),
  phone: Phone,
  relationship: z.enum(GUARDIAN_RELATIONSHIPS),
});

export const VolunteerApplication = z.strictObject({
  realName: z.string().trim().min(2).max(30),
  idNumber: IdNumber,
  communityId: Id,
  skills: profileFields.skills.default([]),
  skillsNote: profileFields.skillsNote.optional(),
  languages: profileFields.languages.default([]),
  availability: profileFields.availability.default([]),
  emergencyName: profileFields.emergencyName,
  emergencyPhone: profileFields.emergencyPhone,
  emergencyRelationship: profileFields.emergencyRelationship,
  /** Under 18: who consents for them (staff record the consent itself when approving). */
  guardian: Guardian.optional(),
  agreeToCode: z.literal(true, "Agree to the volunteer code to apply"),
  onLeaderboard: profileFields.onLeaderboard.default(false),
});
export type VolunteerApplication = z.infer<typeof VolunteerApplication>;

export const VolunteerProfilePatch = z
  .strictObject({
    skills: profileFields.skills,
    skillsNote: profileFields.skillsNote.nullable(),
    languages: profileFields.languages,
    availability: profileFields.availability,
    emergencyName: profileFields.emergencyName,
    emergencyPhone: profileFields.emergencyPhone,
    emergencyRelationship: profileFields.emergencyRelationship,
    onLeaderboard: profileFields.onLeaderboard,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");
export type VolunteerProfilePatch = z.infer<typeof VolunteerProfilePatch>;

export const ApproveBody = z.strictObject({
  /** Required for a minor: how the guardian's consent was given. */
  guardianConsent: z
    .strictObject({ method: z.enum(GUARDIAN_CONSENT_METHODS), note: z.string().trim().max(300).optional() })
    .optional(),
});

export const ReasonBody = z.strictObject({ reason: z.string().trim().min(2).max(300) });
export const OptionalReasonBody = z.strictObject({ reason: z.string().trim().max(300).optional() });

/** A registration as its volunteer sees it (their own numbers in full, but not the ID number). */
export const Volunteer = z.object({
  id: z.string(),
  status: z.enum(VOLUNTEER_STATUSES),
  number: z.string().nullable(),
  realName: z.string(),
  idMasked: z.string(),
  birthDate: z.string(),
  age: z.number().int(),
  communityId: z.string(),
  communityName: z.string(),
  skills: z.array(z.string()),
  skillsNote: z.string().nullable(),
  languages: z.array(z.string()),
  availability: z.array(z.string()),
  emergencyName: z.string(),
  emergencyPhoneMasked: z.string(),
  emergencyRelationship: z.string(),
  guardianName: z.string().nullable(),
  guardianPhoneMasked: z.string().nullable(),
  guardianRelationship: z.string().nullable(),
  guardianConsentMethod: z.enum(GUARDIAN_CONSENT_METHODS).nullable(),
  guardianConsentAt: z.number().int().nullable(),
  codeVersion: z.string(),
  onLeaderboard: z.boolean(),
  reason: z.string().nullable().meta({ description: "The reason given with the last refusal or suspension" }),
  decidedAt: z.number().int().nullable(),
  appliedAt: z.number().int(),
});
export type Volunteer = z.infer<typeof Volunteer>;

export const MyVolunteer = z.object({ volunteer: Volunteer.nullable() });

/** A registration in a staff list: phone numbers masked, ID number as its last four digits. */
export const StaffVolunteer = Volunteer.extend({
  phoneMasked: z.string().nullable(),
  minor: z.boolean(),
});
export type StaffVolunteer = z.infer<typeof StaffVolunteer>;

export const StaffVolunteerList = z.object({
  volunteers: z.array(StaffVolunteer),
  total: z.number().int(),
  pageSize: z.number().int(),
});

export const StaffVolunteerQuery = z.strictObject({
  status: z.enum(VOLUNTEER_STATUSES).optional(),
  communityId: Id.optional(),
  q: z.string().trim().min(1).max(30).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export const VolunteerOptions = z.object({
  skills: z.array(z.string()),
  languages: z.array(z.string()),
  availability: z.array(z.string()),
  dayParts: z.array(z.string()),
  emergencyRelationships: z.array(z.string()),
  guardianRelationships: z.array(z.string()),
  codeVersion: z.string(),
  minAge: z.number().int(),
  adultAge: z.number().int(),
});
