import type { Booking, Offering, Slot } from "../../worker/features/bookings/bookings.schema";
import type { ActablePerson, Me } from "../../worker/features/me/me.schema";
import { hasMessage, type Locale, type Translate } from "./i18n";

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
  "minAge" | "communities" | "priorityAge" | "priorityDays" | "opensDaysBefore" | "closesHoursBefore"
>;
type PersonFacts = Pick<ActablePerson, "birthDate" | "communityId">;

export type Ineligibility = "birthDateMissing" | "tooYoung" | "community";

/**
 * Why a person may not book this offering, as far as the site can tell (the API decides): the
 * same age and community rules the server applies, checked against the next slot's date.
 */
export function ineligibility(offering: OfferingRules, person: PersonFacts, onDate: string): Ineligibility | null {
  if (offering.minAge !== null) {
    if (!person.birthDate) return "birthDateMissing";
    if (ageOn(person.birthDate, onDate) < offering.minAge) return "tooYoung";
  }
  if (offering.communities?.length && (!person.communityId || !offering.communities.includes(person.communityId))) {
    return "community";
  }
  return null;
}

/** When booking a slot opens and closes for this person (older people may get priority days). */
export function bookingWindow(offering: OfferingRules, person: PersonFacts | null, slot: Pick<Slot, "startsAt">) {
  const priority =
    person !== null &&
    offering.priorityAge !== null &&
    person.birthDate !== null &&
    ageOn(person.birthDate, shanghaiDate(slot.startsAt)) >= offering.priorityAge;
  return {
    opensAt: slot.startsAt - (offering.opensDaysBefore + (priority ? offering.priorityDays : 0)) * DAY,
    closesAt: slot.startsAt - offering.closesHoursBefore * HOUR,
  };
}

export type SlotAvailability =
  | { kind: "free"; free: number }
  | { kind: "waitlist"; waiting: number }
  | { kind: "full" }
  | { kind: "notYet"; opensAt: number }
  | { kind: "closed" };

/** What a slot offers the chosen person right now (or an ordinary resident when nobody is chosen). */
export function slotAvailability(
  offering: OfferingRules & Pick<Offering, "waitlist">,
  slot: Slot,
  person: PersonFacts | null,
  now: number,
): SlotAvailability {
  const window = bookingWindow(offering, person, slot);
  if (slot.status !== "open" || now >= window.closesAt) return { kind: "closed" };
  if (now < window.opensAt) return { kind: "notYet", opensAt: window.opensAt };
  if (slot.free > 0) return { kind: "free", free: slot.free };
  return offering.waitlist ? { kind: "waitlist", waiting: slot.waitlisted } : { kind: "full" };
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

/** 待确认 / 已预约 / 候补第N位 / 已签到 / 已完成 / 未到 / 已取消. */
export function statusText(t: Translate, booking: Pick<Booking, "status" | "waitlistPosition">): string {
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
