import type { Booking, Offering, Slot } from "../../worker/features/bookings/bookings.schema";
import type { ActablePerson, Me } from "../../worker/features/me/me.schema";
import { hasMessage, type Locale, type Translate } from "./messages";

export type { Booking, Offering, Slot };
export type BookingStatus = Booking["status"];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET_MS = 8 * HOUR;
const TIME_ZONE = "Asia/Shanghai";

/** The care categories in the order residents see them. */
export const CARE_CATEGORIES = ["day_care", "meal", "bathing", "rehabilitation", "home_visit", "check_up"] as const;

/** The category's name, or the raw value for a category this build does not know. */
export function categoryName(t: Translate, category: string | null): string {
  const key = `category.${category ?? "other"}`;
  return hasMessage(key) ? t(key) : (category ?? t("category.other"));
}

/** "免费" or "每次 12 元" (money is kept in fen). */
export function formatPrice(t: Translate, priceFen: number): string {
  if (priceFen === 0) return t("offering.free");
  const yuan = priceFen % 100 === 0 ? String(priceFen / 100) : (priceFen / 100).toFixed(2);
  return t("offering.price", { amount: yuan });
}

/** The Shanghai date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** UTC epoch ms of a Shanghai date and "HH:MM". */
export function fromShanghai(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00+08:00`);
}

/** A YYYY-MM-DD date `days` later on the calendar. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** "11月30日周一" / "Mon, November 30", in Shanghai. */
export function formatDay(locale: Locale, at: number): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    month: "long",
    day: "numeric",
    weekday: "short",
  }).format(at);
}

/** "08:30", in Shanghai. */
export function formatTime(at: number): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
}

/** "08:30–16:30". */
export function formatTimeRange(startsAt: number, endsAt: number): string {
  return `${formatTime(startsAt)}–${formatTime(endsAt)}`;
}

/** "11月30日周一 08:30–16:30". */
export function formatWhen(locale: Locale, startsAt: number, endsAt: number): string {
  return `${formatDay(locale, startsAt)} ${formatTimeRange(startsAt, endsAt)}`;
}

/** "11月30日周一 06:30": a deadline or opening moment. */
export function formatMoment(locale: Locale, at: number): string {
  return `${formatDay(locale, at)} ${formatTime(at)}`;
}

/** Items grouped by their Shanghai date, in the order given. */
export function groupByDay<T>(items: T[], at: (item: T) => number): Array<{ date: string; items: T[] }> {
  const groups: Array<{ date: string; items: T[] }> = [];
  for (const item of items) {
    const date = shanghaiDate(at(item));
    const last = groups[groups.length - 1];
    if (last && last.date === date) last.items.push(item);
    else groups.push({ date, items: [item] });
  }
  return groups;
}

/** Whole years between a birth date and a date. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by = 0, bm = 0, bd = 0] = birthDate.split("-").map(Number);
  const [y = 0, m = 0, d = 0] = onDate.split("-").map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** The persons this account may book for: itself, and those it acts for with a bookings scope. */
export function bookablePersons(me: Me): ActablePerson[] {
  return me.persons.filter((p) => p.relationship === "self" || p.scope === "all" || p.scope === "bookings");
}

/** "李娜（本人）" or "张桂兰". */
export function personLabel(t: Translate, person: Pick<ActablePerson, "name" | "relationship">): string {
  const name = person.name || t("person.unnamed");
  return person.relationship === "self" ? t("person.selfNamed", { name }) : name;
}

type OfferingRules = Pick<
  Offering,
  "minAge" | "communities" | "personTypes" | "priorityAge" | "priorityDays" | "opensDaysBefore" | "closesHoursBefore"
>;
type PersonFacts = Pick<ActablePerson, "birthDate" | "communityId" | "types">;

export type Ineligibility = "birthDateMissing" | "tooYoung" | "community" | "personType";

/**
 * Why a person may not book this offering, as far as the site can tell (the API decides): the
 * same age, community and person-type rules the server applies, in its order, checked against
 * the next slot's date.
 */
export function ineligibility(offering: OfferingRules, person: PersonFacts, onDate: string): Ineligibility | null {
  if (offering.minAge !== null) {
    if (!person.birthDate) return "birthDateMissing";
    if (ageOn(person.birthDate, onDate) < offering.minAge) return "tooYoung";
  }
  if (offering.communities?.length && (!person.communityId || !offering.communities.includes(person.communityId))) {
    return "community";
  }
  const required = offering.personTypes ?? [];
  if (required.length > 0 && !required.some((code) => person.types.includes(code))) return "personType";
  return null;
}

/** Whether this person may book in the offering's priority window (old enough on the slot's day). */
export function hasPriority(
  offering: Pick<Offering, "priorityAge" | "priorityDays">,
  person: Pick<PersonFacts, "birthDate"> | null,
  slot: Pick<Slot, "startsAt">,
): boolean {
  return (
    person !== null &&
    offering.priorityAge !== null &&
    offering.priorityDays > 0 &&
    person.birthDate !== null &&
    ageOn(person.birthDate, shanghaiDate(slot.startsAt)) >= offering.priorityAge
  );
}

export type SlotAvailability =
  | { kind: "free"; free: number; early: boolean }
  | { kind: "waitlist"; waiting: number; early: boolean }
  | { kind: "full" }
  | { kind: "notYet"; opensAt: number }
  | { kind: "closed" };

/**
 * What a slot offers the chosen person right now (or an ordinary resident when nobody is chosen),
 * from the window the API gives: people of the priority age may book from `priorityOpensAt`
 * (`early` while everyone else still waits).
 */
export function slotAvailability(
  offering: Pick<Offering, "priorityAge" | "priorityDays" | "waitlist">,
  slot: Pick<Slot, "startsAt" | "opensAt" | "closesAt" | "priorityOpensAt" | "status" | "free" | "waitlisted">,
  person: Pick<PersonFacts, "birthDate"> | null,
  now: number,
): SlotAvailability {
  const opensAt =
    hasPriority(offering, person, slot) && slot.priorityOpensAt !== null ? slot.priorityOpensAt : slot.opensAt;
  if (slot.status !== "open" || now >= slot.closesAt) return { kind: "closed" };
  if (now < opensAt) return { kind: "notYet", opensAt };
  const early = now < slot.opensAt;
  if (slot.free > 0) return { kind: "free", free: slot.free, early };
  return offering.waitlist ? { kind: "waitlist", waiting: slot.waitlisted, early } : { kind: "full" };
}

/** The words for an availability, e.g. "剩余 3 个名额" or "已满，可候补". */
export function availabilityText(t: Translate, locale: Locale, a: SlotAvailability): string {
  switch (a.kind) {
    case "free":
      return t("slot.free", { count: a.free });
    case "waitlist":
      return a.waiting > 0 ? t("slot.waitlistWith", { count: a.waiting }) : t("slot.waitlist");
    case "full":
      return t("slot.full");
    case "notYet":
      return t("slot.opensAt", { when: formatMoment(locale, a.opensAt) });
    case "closed":
      return t("slot.closed");
  }
}

/** Statuses that still hold (or wait for) a place. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ["pending", "confirmed", "waitlisted", "checked_in"];

export function isActive(status: BookingStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** The latest moment the person may still cancel online. */
export function cancelDeadline(offering: Pick<Offering, "cancelCutoffHours">, startsAt: number): number {
  return startsAt - offering.cancelCutoffHours * HOUR;
}

/**
 * What a booking nobody moved on amounts to once its slot has ended: a place waiting for the
 * organisation's record (confirmed or pending), or a waitlist that is over; null otherwise.
 */
export function leftOver(
  booking: Pick<Booking, "status"> & { slot?: Pick<Booking["slot"], "endsAt"> },
  at = Date.now(),
): "unrecorded" | "waitlistOver" | null {
  if (booking.slot === undefined || booking.slot.endsAt > at) return null;
  if (booking.status === "confirmed" || booking.status === "pending") return "unrecorded";
  return booking.status === "waitlisted" ? "waitlistOver" : null;
}

/** Whether the booking can still be cancelled at all (the resident's cut-off aside): until its slot ends. */
export function stillCancellable(booking: Pick<Booking, "status" | "slot">, at = Date.now()): boolean {
  const { status } = booking;
  return (status === "pending" || status === "confirmed" || status === "waitlisted") && booking.slot.endsAt > at;
}

/** 待确认 / 已预约 / 候补第N位 / 已签到 / 已完成 / 未到 / 已取消 — or, after the slot, 待机构登记 / 候补未成功. */
export function statusText(
  t: Translate,
  booking: Pick<Booking, "status" | "waitlistPosition"> & { slot?: Pick<Booking["slot"], "endsAt"> },
  at = Date.now(),
): string {
  const left = leftOver(booking, at);
  if (left) return t(left === "unrecorded" ? "bookingStatus.unrecorded" : "bookingStatus.waitlistOver");
  if (booking.status === "waitlisted" && booking.waitlistPosition) {
    return t("bookingStatus.waitlistedAt", { position: booking.waitlistPosition });
  }
  return t(`bookingStatus.${booking.status}`);
}

/** The badge's look per status; the words carry the meaning, the colour only repeats it. */
export const STATUS_TONE: Record<BookingStatus, string> = {
  pending: "badge--warn",
  confirmed: "badge--ok",
  waitlisted: "badge--warn",
  checked_in: "badge--open",
  completed: "badge--muted",
  no_show: "badge--gap",
  cancelled: "badge--muted",
};

/** A fresh idempotency key for one booking attempt (reused when that attempt is retried). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export const RATING_VALUES = [5, 4, 3, 2, 1] as const;

export function ratingText(t: Translate, rating: number): string {
  const key = `rating.${rating}`;
  return hasMessage(key) ? t(key) : String(rating);
}
