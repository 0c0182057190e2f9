// When staff may record what happened to a booking: plain functions without database code, so
// the staff console offers exactly the buttons the API will accept.
import { shanghaiDate, shanghaiTime } from "../../lib/shanghai";
import { HOUR } from "../../lib/time";

/** Check-in at the door opens this long before a slot starts, and closes when it ends. */
export const CHECK_IN_OPENS_BEFORE = 2 * HOUR;

/** Why a booking on this slot cannot be checked in at `at`, or null. */
export function checkInRefusal(slot: { startsAt: number; endsAt: number }, at: number): string | null {
  const opensAt = slot.startsAt - CHECK_IN_OPENS_BEFORE;
  if (at < opensAt)
    return `Check-in opens at ${shanghaiTime(opensAt)} on ${shanghaiDate(opensAt)} (2 hours before the start)`;
  if (at >= slot.endsAt) return "This slot has ended; mark the booking completed or no-show instead";
  return null;
}

/** Completed or no-show can only be recorded once the service has started. */
export function outcomeRefusal(slot: { startsAt: number }, at: number): string | null {
  return at < slot.startsAt ? "The service has not started yet" : null;
}

/**
 * Once a slot has ended a booking is neither confirmed nor cancelled any more — a text saying so
 * would be about a service that is over — only its outcome is recorded (completed or no-show).
 */
export function overRefusal(slot: { endsAt: number }, at: number): string | null {
  return at >= slot.endsAt ? "This service is over; record the booking as completed or no-show" : null;
}

/** What staff may record next about a booking (the staff console shows these buttons). */
export type StaffAction = "confirm" | "check-in" | "complete" | "no-show";

/**
 * The actions on a booking that the API accepts at `at`, by the rules above: a confirmed booking
 * can be checked in from two hours before the start until the slot ends; once the service has
 * started it can also be marked completed — someone who came but was not scanned at the door —
 * or a no-show. A pending one is confirmed until the slot ends, and gets its outcome like a
 * confirmed one once the service has started. A checked-in one is marked completed once the
 * service has started (checked in at the door before it, it has not happened yet).
 */
export function staffActions(
  booking: { status: string; slot: { startsAt: number; endsAt: number } },
  at: number,
): StaffAction[] {
  const started = outcomeRefusal(booking.slot, at) === null;
  const outcomes: StaffAction[] = started ? ["complete", "no-show"] : [];
  switch (booking.status) {
    case "pending":
      return [...(overRefusal(booking.slot, at) === null ? (["confirm"] as const) : []), ...outcomes];
    case "confirmed":
      return [...(checkInRefusal(booking.slot, at) === null ? (["check-in"] as const) : []), ...outcomes];
    case "checked_in":
      return started ? ["complete"] : [];
    default:
      return [];
  }
}
