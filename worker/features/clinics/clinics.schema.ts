import { z } from "zod";
import { CalendarDate, HHMM } from "../../lib/calendar-fields";
import { fromShanghai, isoWeekday, shanghaiDate } from "../../lib/shanghai";
import { DAY } from "../../lib/time";

/**
 * Community clinics (社区卫生服务站, the health service centre) and the internet hospital
 * (互联网医院), plan part four 一.(五) 8–9: departments offering services, doctors with weekly
 * schedules from which staff make appointment slots (booking-engine offerings of kind `clinic`
 * and `teleconsult`, one of each per doctor), tele-consultations whose symptoms are kept only
 * with a separate recorded consent, and family-doctor signing. Pure: the site imports these too.
 */

export const CLINIC_SERVICES = [
  "general",
  "family_doctor",
  "vaccination",
  "chronic_followup",
  "elderly_checkup",
  "rehabilitation",
  "tcm",
  "maternal_child",
] as const;
export type ClinicService = (typeof CLINIC_SERVICES)[number];

export const DOCTOR_TITLES = [
  "chief_physician",
  "associate_chief_physician",
  "attending_physician",
  "physician",
  "general_practitioner",
  "nurse",
  "therapist",
] as const;

export type DoctorTitle = (typeof DOCTOR_TITLES)[number];

export const SCHEDULE_KINDS = ["clinic", "teleconsult"] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const SIGNING_STATUSES = ["requested", "accepted", "declined", "cancelled"] as const;

/** The consent wording a person (or proxy) agrees to before symptoms are kept; its version is recorded. */
export const CONSENT_VERSION = "teleconsult-symptoms-v1";

const Id = z.string().min(1).max(64);

export const DepartmentInput = z.strictObject({
  name: z.string().trim().min(1).max(30),
  services: z
    .array(z.enum(CLINIC_SERVICES))
    .min(1)
    .max(CLINIC_SERVICES.length)
    .refine((s) => new Set(s).size === s.length, "List each service once"),
  description: z.string().trim().max(500).default(""),
});

export const DoctorInput = z.strictObject({
  departmentId: Id,
  name: z.string().trim().min(1).max(20),
  title: z.enum(DOCTOR_TITLES),
  specialty: z.string().trim().max(100).default(""),
  profile: z.string().trim().max(1000).default(""),
  /** The doctor's own sign-in, to read their tele-consultations; phone of an existing account. */
  accountPhone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/)
    .nullable()
    .default(null),
  meetingLink: z
    .url({ protocol: /^https$/ })
    .max(300)
    .nullable()
    .default(null)
    .meta({ description: "The doctor's video room for tele-consultations, shown to a patient once confirmed" }),
});

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A doctor's changes: their sign-in (null unbinds it), video room, title, specialty, profile. */
export const DoctorPatch = z
  .strictObject({
    title: z.enum(DOCTOR_TITLES),
    specialty: z.string().trim().max(100),
    profile: z.string().trim().max(1000),
    accountPhone: z
      .string()
      .trim()
      .regex(/^1[3-9]\d{9}$/)
      .nullable(),
    meetingLink: z
      .url({ protocol: /^https$/ })
      .max(300)
      .nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");

/** One weekly block of a doctor's time: appointments of `slotMinutes`, each for `capacity` people. */
export const ScheduleBlock = z
  .strictObject({
    weekday: z.number().int().min(1).max(7),
    start: HHMM,
    end: HHMM,
    kind: z.enum(SCHEDULE_KINDS),
    slotMinutes: z.number().int().min(5).max(240),
    capacity: z.number().int().min(1).max(50),
  })
  .refine((b) => b.end > b.start, { message: "end must be after start", path: ["end"] })
  .refine((b) => minutes(b.end) - minutes(b.start) >= b.slotMinutes, {
    message: "The block is shorter than one appointment",
    path: ["slotMinutes"],
  })
  // A doctor's video room holds one patient at a time.
  .refine((b) => b.kind !== "teleconsult" || b.capacity === 1, {
    message: "A tele-consultation is for one patient",
    path: ["capacity"],
  });
export type ScheduleBlock = z.infer<typeof ScheduleBlock>;

/** Two blocks of one doctor on the same weekday that overlap (a doctor is in one place at a time), or null. */
export function scheduleOverlap(blocks: readonly ScheduleBlock[]): [number, number] | null {
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const a = blocks[i];
      const b = blocks[j];
      if (a && b && a.weekday === b.weekday && minutes(a.start) < minutes(b.end) && minutes(b.start) < minutes(a.end)) {
        return [i, j];
      }
    }
  }
  return null;
}

export const ScheduleInput = z
  .strictObject({ blocks: z.array(ScheduleBlock).max(28) })
  .refine((s) => scheduleOverlap(s.blocks) === null, {
    message: "Two blocks of the schedule overlap",
    path: ["blocks"],
  });

/** Make a doctor's appointment slots from the weekly schedule for a span of days, without holidays. */
export const GenerateInput = z
  .strictObject({
    from: CalendarDate,
    until: CalendarDate,
    skipDates: z.array(CalendarDate).max(60).default([]).meta({ description: "Holidays: no appointments" }),
  })
  .refine((g) => g.until >= g.from, { message: "until must not be before from", path: ["until"] })
  .refine((g) => Date.parse(g.until) - Date.parse(g.from) <= 62 * DAY, {
    message: "At most 63 days at a time",
    path: ["until"],
  });
export type GenerateInput = z.infer<typeof GenerateInput>;

/** The appointments a schedule gives from `from` to `until`, holidays left out, by kind. */
export function scheduleSlots(blocks: readonly ScheduleBlock[], g: GenerateInput) {
  const skip = new Set(g.skipDates);
  const out: Array<{ kind: ScheduleKind; startsAt: number; endsAt: number; capacity: number }> = [];
  for (let at = fromShanghai(g.from, "12:00"); shanghaiDate(at) <= g.until; at += DAY) {
    const date = shanghaiDate(at);
    if (skip.has(date)) continue;
    const weekday = isoWeekday(date);
    for (const b of blocks) {
      if (b.weekday !== weekday) continue;
      for (let m = minutes(b.start); m + b.slotMinutes <= minutes(b.end); m += b.slotMinutes) {
        const startsAt = fromShanghai(date, "00:00") + m * 60_000;
        out.push({ kind: b.kind, startsAt, endsAt: startsAt + b.slotMinutes * 60_000, capacity: b.capacity });
      }
    }
  }
  return out.sort((a, b) => a.startsAt - b.startsAt);
}

export const SymptomsInput = z.strictObject({
  text: z.string().trim().min(1).max(2000).meta({ description: "What the patient feels, since when (health data)" }),
});

export const ConsentInput = z.strictObject({
  version: z.literal(CONSENT_VERSION).meta({ description: "The consent wording agreed to" }),
});

export const SigningRequestInput = z.strictObject({
  organisationId: Id,
  personId: Id,
  note: z
    .string()
    .trim()
    .max(200)
    .default("")
    .meta({ description: "How to reach the person (e.g. the best time to call); not health details" }),
});

export const SigningDecision = z
  .strictObject({ decision: z.enum(["accept", "decline"]), note: z.string().trim().max(200).optional() })
  .refine((d) => d.decision === "accept" || d.note, { message: "Say why it is declined", path: ["note"] });

export const StaffSigningQuery = z.strictObject({
  organisationId: Id.optional().meta({ description: "One clinic's (else all the staff member's clinics')" }),
});

export const ClinicParams = z.strictObject({ id: Id });
export const BookingParam = z.strictObject({ bookingId: Id });

const Department = z.object({
  id: z.string(),
  name: z.string(),
  services: z.array(z.enum(CLINIC_SERVICES)),
  description: z.string(),
  /** Open appointments left today (clinic visits), across its doctors. */
  openToday: z.number().int(),
});

const Doctor = z.object({
  id: z.string(),
  departmentId: z.string(),
  name: z.string(),
  title: z.enum(DOCTOR_TITLES),
  specialty: z.string(),
  profile: z.string(),
  clinicOfferingId: z.string().nullable(),
  teleconsultOfferingId: z.string().nullable(),
  schedule: z.array(ScheduleBlock),
});

export const ClinicSummary = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  facilityId: z.string().nullable(),
  /** By its facility's opening hours; null when none are published. */
  openNow: z.boolean().nullable(),
  services: z.array(z.enum(CLINIC_SERVICES)),
  departments: z.array(Department),
});
export const ClinicList = z.object({ clinics: z.array(ClinicSummary) });

export const Clinic = ClinicSummary.extend({
  doctors: z.array(Doctor),
  canManage: z.boolean(),
});
export type Clinic = z.infer<typeof Clinic>;

export const GenerateResult = z.object({
  created: z.number().int(),
  existing: z.number().int(),
  skipped: z.array(z.string()),
});

export const Teleconsult = z.object({
  bookingId: z.string(),
  status: z.string(),
  personName: z.string(),
  doctorName: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  consent: z.object({ at: z.number().int(), version: z.string() }).nullable(),
  symptoms: z.string().nullable(),
  /** Only once the booking is confirmed. */
  meetingLink: z.string().nullable(),
});
export const TeleconsultList = z.object({ consultations: z.array(Teleconsult) });

export const Signing = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  personId: z.string(),
  personName: z.string(),
  phoneMasked: z.string().nullable(),
  status: z.enum(SIGNING_STATUSES),
  note: z.string(),
  decisionNote: z.string().nullable(),
  requestedAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
});
export const SigningList = z.object({ signings: z.array(Signing) });

const TITLE_WORDS: Record<DoctorTitle, string> = {
  chief_physician: "主任医师",
  associate_chief_physician: "副主任医师",
  attending_physician: "主治医师",
  physician: "医师",
  general_practitioner: "全科医生",
  nurse: "护士",
  therapist: "治疗师",
};

/**
 * The booking-engine offering a doctor's appointments of one kind are slots of (the caller adds
 * its times): one per doctor and kind, its id made of both, so making it twice makes it once.
 * Visits book until they begin; tele-consultations wait for the clinic's confirmation.
 */
export function doctorOffering(
  doctor: { id: string; organisationId: string; name: string; title: DoctorTitle; specialty: string },
  kind: ScheduleKind,
  departmentName: string,
  facilityId: string | null,
) {
  const who = `${doctor.name}${TITLE_WORDS[doctor.title]}`;
  return {
    id: `off_${doctor.id}_${kind}`,
    organisationId: doctor.organisationId,
    facilityId,
    kind,
    category: kind === "clinic" ? "appointment" : "teleconsult",
    title: kind === "clinic" ? `${departmentName} · ${who}` : `互联网医院 · ${departmentName} · ${who}`,
    description: doctor.specialty,
    opensDaysBefore: 14,
    closesHoursBefore: kind === "clinic" ? 0 : 2,
    cancelCutoffHours: kind === "clinic" ? 1 : 2,
    waitlist: false,
    maxActivePerPerson: 2,
    requiresConfirmation: kind === "teleconsult",
    status: "active" as const,
  };
}
