import { z } from "zod";
import { SERVICE_RECORD_SOURCES, SERVICE_RECORD_STATUSES } from "../../../db/schema/volunteers";

const Id = z.string().min(1).max(64);
const Epoch = z.number().int().min(1_600_000_000_000).max(4_102_444_800_000);

/** "2.5" hours from minutes, one decimal: how statements, certificates and the site show hours. */
export function hoursText(minutes: number): string {
  return (Math.round(minutes / 6) / 10).toFixed(1);
}

/** The longest one service record may be: a day (a longer stretch is two records). */
export const MAX_RECORD_MINUTES = 24 * 60;
/** An open check-in is closed by the platform (and flagged for review) this long after it began. */
export const AUTO_CLOSE_AFTER_MS = 12 * 3_600_000;

export const ShiftCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "The shift's 6-digit code, as the lead shows it");

export const ShiftCheckBody = z.strictObject({ code: ShiftCode });

export const ShiftCodeAnswer = z.object({ slotId: z.string(), code: z.string() });

export const ServiceRecord = z.object({
  id: z.string(),
  volunteerId: z.string(),
  volunteerName: z.string(),
  volunteerNumber: z.string().nullable(),
  organisationId: z.string(),
  organisationName: z.string(),
  offeringId: z.string().nullable(),
  slotId: z.string().nullable(),
  bookingId: z.string().nullable(),
  title: z.string(),
  category: z.string().nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  minutes: z.number().int().nullable(),
  source: z.enum(SERVICE_RECORD_SOURCES),
  status: z.enum(SERVICE_RECORD_STATUSES),
  autoClosed: z.boolean().meta({ description: "Closed by the platform 12 hours after check-in: review it" }),
  flagged: z.boolean().meta({
    description:
      "To be approved one by one (closed by the platform, checked out over an hour after the shift, the shift called off, or completed without a check-in)",
  }),
  servedPersonId: z
    .string()
    .nullable()
    .meta({ description: "The person served, named by the organisation (to its staff only; null for the volunteer)" }),
  servedPersonName: z
    .string()
    .nullable()
    .meta({ description: "The person served: family name, the rest masked (to the organisation's staff only)" }),
  rating: z
    .number()
    .int()
    .nullable()
    .meta({ description: "The stars the person served gave (to the organisation's staff only)" }),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  decidedAt: z.number().int().nullable(),
  createdAt: z.number().int(),
});
export type ServiceRecord = z.infer<typeof ServiceRecord>;

export const ServiceRecordList = z.object({ records: z.array(ServiceRecord) });

export const StaffRecordQuery = z.strictObject({
  organisationId: Id.optional(),
  slotId: Id.optional(),
  status: z.enum(SERVICE_RECORD_STATUSES).optional(),
});

const Times = {
  startedAt: Epoch,
  endedAt: Epoch,
};

function sensibleSpan(v: { startedAt?: number | undefined; endedAt?: number | undefined }) {
  if (v.startedAt === undefined || v.endedAt === undefined) return true;
  return v.endedAt > v.startedAt && v.endedAt - v.startedAt <= MAX_RECORD_MINUTES * 60_000;
}
const SPAN_MESSAGE = {
  message: "endedAt must be after startedAt, and a record lasts at most 24 hours",
  path: ["endedAt"],
};

/** A record staff enter from a paper sign-in sheet. */
export const RecordEntry = z
  .strictObject({
    number: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^JZ\d{4}-\d{5}$/, "A volunteer number such as JZ2026-00042"),
    organisationId: Id,
    slotId: Id.optional(),
    title: z.string().trim().min(1).max(80),
    category: z.string().trim().min(1).max(40).optional(),
    ...Times,
    note: z.string().trim().max(300).optional(),
  })
  .refine(sensibleSpan, SPAN_MESSAGE);
export type RecordEntry = z.infer<typeof RecordEntry>;

/** Staff corrections: the times and a note (edits after approval are audited with before and after). */
export const RecordPatch = z
  .strictObject({ ...Times, note: z.string().trim().max(300).nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change")
  .refine(sensibleSpan, SPAN_MESSAGE);
export type RecordPatch = z.infer<typeof RecordPatch>;

export const RejectBody = z.strictObject({ reason: z.string().trim().min(2).max(300) });

export const BulkApproved = z.object({
  approved: z.number().int(),
  left: z
    .number()
    .int()
    .meta({ description: "Records of the shift still to be looked at one by one (open, or auto-closed)" }),
});

export const HoursQuery = z.strictObject({
  year: z.coerce.number().int().min(2020).max(2099).optional(),
});

const Bucket = z.object({
  key: z.string(),
  label: z.string().nullable(),
  approved: z.number().int(),
  pending: z.number().int(),
});

/** A volunteer's minutes in a year: approved and pending, by month, organisation and kind. */
export const Hours = z.object({
  year: z.number().int(),
  approvedMinutes: z.number().int(),
  pendingMinutes: z.number().int(),
  allTimeApprovedMinutes: z.number().int(),
  byMonth: z.array(Bucket),
  byOrganisation: z.array(Bucket),
  byCategory: z.array(Bucket),
});
export type Hours = z.infer<typeof Hours>;

export const Leaderboard = z.object({
  communityId: z.string(),
  communityName: z.string(),
  year: z.number().int(),
  entries: z.array(
    z.object({
      rank: z.number().int(),
      name: z.string().meta({ description: "Family name, the rest masked" }),
      number: z.string(),
      minutes: z.number().int(),
    }),
  ),
});

export const StatementQuery = z
  .strictObject({ from: z.iso.date(), to: z.iso.date() })
  .refine((v) => v.from <= v.to, { message: "from must not be after to", path: ["to"] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, {
    message: "A statement covers at most 366 days",
    path: ["to"],
  });

/** An hour statement: the approved records of a period and their total, with who served them. */
export const Statement = z.object({
  from: z.string(),
  to: z.string(),
  realName: z.string(),
  idMasked: z.string(),
  volunteerNumber: z.string().nullable(),
  approvedMinutes: z.number().int(),
  records: z.array(ServiceRecord),
  issuedAt: z.number().int(),
});
export type Statement = z.infer<typeof Statement>;
