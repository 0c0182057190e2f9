import { z } from "zod";
import { CalendarDate, HHMM } from "../../lib/calendar-fields";
import { PERSON_TYPE_CODES } from "../persons/person-types";
import { VOLUNTEER_SKILLS } from "../volunteers/volunteers.schema";

export const OFFERING_KIND_VALUES = ["care", "clinic", "teleconsult", "training", "event", "volunteer_shift"] as const;
export const BOOKING_STATUS_VALUES = [
  "pending",
  "confirmed",
  "waitlisted",
  "cancelled",
  "checked_in",
  "completed",
  "no_show",
] as const;

const Id = z.string().min(1).max(64);
const Epoch = z.number().int().min(1_600_000_000_000).max(4_102_444_800_000);

/** Person types an offering may be limited to: each once, from the catalogue. */
export const PersonTypeList = z
  .array(z.enum(PERSON_TYPE_CODES))
  .max(PERSON_TYPE_CODES.length)
  .refine((codes) => new Set(codes).size === codes.length, "List each person type once");

/** Every offering field as validated, without defaults: create adds the defaults, edit makes them optional. */
const offeringFields = {
  organisationId: Id,
  facilityId: Id.nullable(),
  kind: z.enum(OFFERING_KIND_VALUES),
  category: z.string().trim().min(1).max(40).nullable(),
  title: z.string().trim().min(1).max(80),
  description: z.string().trim().max(2000),
  priceFen: z.number().int().min(0).max(10_000_000),
  subsidyNote: z.string().trim().max(200).nullable(),
  minAge: z.number().int().min(0).max(120).nullable(),
  communities: z.array(Id).max(20).nullable(),
  personTypes: PersonTypeList.nullable().meta({
    description:
      "Only people holding at least one of these person types (see /api/person-types); null or empty: anyone",
  }),
  priorityAge: z.number().int().min(0).max(120).nullable(),
  priorityDays: z.number().int().min(0).max(30),
  opensDaysBefore: z.number().int().min(0).max(180),
  closesHoursBefore: z.number().int().min(0).max(720),
  cancelCutoffHours: z.number().int().min(0).max(720),
  waitlist: z.boolean(),
  maxActivePerPerson: z.number().int().min(1).max(100),
  requiresConfirmation: z.boolean(),
  requiresAddress: z.boolean(),
  teamId: Id.nullable().meta({ description: "Volunteer shifts only: members of this team only; null: any volunteer" }),
  skills: z
    .array(z.enum(VOLUNTEER_SKILLS))
    .max(VOLUNTEER_SKILLS.length)
    .refine((codes) => new Set(codes).size === codes.length, "List each skill once")
    .nullable()
    .meta({ description: "Volunteer shifts only: the skills wanted (see /api/volunteers/options)" }),
  supportsOfferingId: Id.nullable().meta({
    description: "Volunteer shifts only: the service or event (of any organisation) the shift helps with",
  }),
};

export const OfferingInput = z.strictObject({
  ...offeringFields,
  facilityId: offeringFields.facilityId.default(null),
  category: offeringFields.category.default(null),
  description: offeringFields.description.default(""),
  priceFen: offeringFields.priceFen.default(0),
  subsidyNote: offeringFields.subsidyNote.default(null),
  minAge: offeringFields.minAge.default(null),
  communities: offeringFields.communities.default(null),
  personTypes: offeringFields.personTypes.default(null),
  priorityAge: offeringFields.priorityAge.default(null),
  priorityDays: offeringFields.priorityDays.default(0),
  opensDaysBefore: offeringFields.opensDaysBefore.default(14),
  closesHoursBefore: offeringFields.closesHoursBefore.default(0),
  cancelCutoffHours: offeringFields.cancelCutoffHours.default(0),
  waitlist: offeringFields.waitlist.default(true),
  maxActivePerPerson: offeringFields.maxActivePerPerson.default(3),
  requiresConfirmation: offeringFields.requiresConfirmation.default(false),
  requiresAddress: offeringFields.requiresAddress.default(false),
  teamId: offeringFields.teamId.default(null),
  skills: offeringFields.skills.default(null),
  supportsOfferingId: offeringFields.supportsOfferingId.default(null),
});
export type OfferingInput = z.infer<typeof OfferingInput>;

const { organisationId: _organisation, kind: _kind, ...editableOfferingFields } = offeringFields;

/** An offering's changes: any field but its organisation and kind, at least one. */
export const OfferingPatch = z
  .strictObject(editableOfferingFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");
export type OfferingPatch = z.infer<typeof OfferingPatch>;

export const Offering = OfferingInput.extend({
  id: z.string(),
  organisationName: z.string(),
  facilityName: z.string().nullable(),
  status: z.enum(["active", "archived", "draft"]),
  nextSlotAt: z.number().int().nullable(),
});
export type Offering = z.infer<typeof Offering>;

export const OfferingList = z.object({ offerings: z.array(Offering) });
export const OfferingListQuery = z.strictObject({
  kind: z.enum(OFFERING_KIND_VALUES).optional(),
  category: z.string().min(1).max(40).optional(),
  organisationId: Id.optional(),
});

export const SlotInput = z
  .strictObject({
    startsAt: Epoch,
    endsAt: Epoch,
    capacity: z.number().int().min(1).max(10_000),
    note: z.string().trim().max(200).optional(),
  })
  .refine((s) => s.endsAt > s.startsAt, "endsAt must be after startsAt")
  .refine((s) => s.endsAt - s.startsAt <= 62 * 86_400_000, "A slot lasts at most 62 days");

/** The longest date range one bookings export (CSV) covers, both days counted. */
export const EXPORT_MAX_DAYS = 366;

/**
 * A weekly pattern between two dates (Asia/Shanghai), skipping listed holidays and adding listed
 * make-up working days (调休: a weekend the State Council declares a working day).
 */
export const SeriesInput = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).meta({ description: "1 = Monday … 7 = Sunday" }),
    start: HHMM,
    end: HHMM,
    capacity: z.number().int().min(1).max(10_000),
    skipDates: z.array(z.iso.date()).max(100).default([]),
    extraDates: z
      .array(z.iso.date())
      .max(100)
      .default([])
      .meta({ description: "Days outside the weekly pattern that get a slot too (make-up working days, 调休)" }),
    note: z.string().trim().max(200).optional().meta({ description: "Shown with every slot of the series" }),
  })
  .refine((s) => s.to >= s.from, "to must not be before from")
  .refine((s) => s.end > s.start, "end must be after start")
  .refine((s) => s.extraDates.every((d) => d >= s.from && d <= s.to), {
    message: "Extra dates must lie between from and to",
    path: ["extraDates"],
  })
  .refine((s) => !s.extraDates.some((d) => s.skipDates.includes(d)), {
    message: "A date cannot be both skipped and added",
    path: ["extraDates"],
  });
export type SeriesInput = z.infer<typeof SeriesInput>;

export const SlotPatch = z
  .strictObject({
    capacity: z.number().int().min(1).max(10_000),
    startsAt: Epoch,
    endsAt: Epoch,
    note: z.string().trim().max(200),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");

export const Slot = z.object({
  id: z.string(),
  offeringId: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  capacity: z.number().int(),
  taken: z.number().int(),
  waitlisted: z.number().int(),
  free: z.number().int(),
  status: z.enum(["open", "cancelled"]),
  note: z.string().nullable(),
  bookable: z.boolean().meta({ description: "Inside the booking window now (for an ordinary resident)" }),
  opensAt: z.number().int().meta({ description: "When booking opens for everyone" }),
  closesAt: z.number().int().meta({ description: "When booking closes" }),
  priorityOpensAt: z
    .number()
    .int()
    .nullable()
    .meta({ description: "When booking opens for people of the offering's priority age; null without one" }),
});
export type Slot = z.infer<typeof Slot>;
export const SlotDetail = Slot.extend({
  offering: z.object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(OFFERING_KIND_VALUES),
    organisationName: z.string(),
    status: z.enum(["active", "archived", "draft"]),
  }),
});
export const SlotList = z.object({ slots: z.array(Slot) });
export const SlotListQuery = z.strictObject({
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  includeCancelled: z.enum(["true", "false"]).default("false"),
});
export const SeriesCreated = z.object({
  seriesId: z.string(),
  created: z.number().int(),
  /** Dates left out as listed holidays. */
  skipped: z.array(z.string()),
  /** Listed extra dates (make-up working days) that got a slot. */
  added: z.array(z.string()),
  /** Dates that already had an open slot at that time (a series run again, a retried request): not doubled. */
  existing: z.array(z.string()),
});

export const BookingInput = z.strictObject({
  slotId: Id,
  personId: Id,
  notes: z.string().trim().max(500).optional(),
  address: z.string().trim().min(4).max(200).optional(),
  channel: z.enum(["app", "walk_in", "phone"]).default("app"),
});
export type BookingInput = z.infer<typeof BookingInput>;

export const Booking = z.object({
  id: z.string(),
  status: z.enum(BOOKING_STATUS_VALUES),
  code: z.string().meta({ description: "Shown at check-in (also as a QR code)" }),
  slot: z.object({
    id: z.string(),
    startsAt: z.number().int(),
    endsAt: z.number().int(),
    status: z.enum(["open", "cancelled"]),
  }),
  offering: z.object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(OFFERING_KIND_VALUES),
    organisationName: z.string(),
  }),
  person: z.object({ id: z.string(), name: z.string() }),
  actorRole: z.enum(["self", "proxy", "staff"]),
  channel: z.enum(["app", "walk_in", "phone"]),
  notes: z.string().nullable(),
  address: z.string().nullable(),
  assignee: z
    .object({ accountId: z.string(), name: z.string() })
    .nullable()
    .meta({ description: "The staff member assigned to serve this booking (e.g. a home visit)" }),
  waitlistPosition: z.number().int().nullable(),
  rating: z.number().int().nullable(),
  ratingComment: z.string().nullable(),
  createdAt: z.number().int(),
  cancelledAt: z.number().int().nullable(),
  checkedInAt: z.number().int().nullable(),
  cancelledByOrganisation: z.boolean().meta({
    description: "Cancelled by the organisation's staff (this booking or the whole slot), not by the person or a proxy",
  }),
});
export type Booking = z.infer<typeof Booking>;

/** What a list of bookings shows of each; the booking's own page (`Booking`) has the rest. */
export const BookingSummary = Booking.pick({
  id: true,
  status: true,
  slot: true,
  offering: true,
  person: true,
  waitlistPosition: true,
});
export type BookingSummary = z.infer<typeof BookingSummary>;
export const BookingList = z.object({ bookings: z.array(BookingSummary) });
export const MyBookingsQuery = z.strictObject({
  personId: Id.optional(),
  when: z.enum(["upcoming", "past", "all"]).default("upcoming"),
});
export const CancelBody = z.strictObject({
  reason: z.string().trim().max(200).optional(),
  waitlistOnly: z.boolean().optional().meta({
    description:
      "Leave the waiting list only: refused (409) if the booking has meanwhile been given a place, which is then kept",
  }),
});
export const RatingBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(500).optional(),
});
export const CheckInBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{6}$/i, "A 6-character code"),
});
export const IdParam = z.strictObject({ id: Id });
