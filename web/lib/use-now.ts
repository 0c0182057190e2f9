import { useEffect, useState } from "react";

/** setTimeout's longest delay (~24.8 days); a later moment is reached in steps of it. */
const MAX_DELAY_MS = 2_147_483_647;
/** Wake a little after the moment, so the page reads a time on the far side of it. */
const AFTER_MS = 250;

/**
 * The time a page judges by, moved on when the clock passes the next of `moments` — so a page
 * left open (the staff slot list at the door, a resident's booking) shows what is allowed now
 * without a reload: check-in opening two hours before, a service starting or ending, a
 * cancellation cut-off. Between the moments nothing the page shows depends on the time. Also
 * re-read when the page comes back into view: a phone asleep or a frozen tab runs no timers.
 *
 * @example
 * const at = useNow([slot.startsAt - CHECK_IN_OPENS_BEFORE, slot.startsAt, slot.endsAt]);
 */
export function useNow(moments: readonly number[]): number {
  const [now, setNow] = useState(Date.now);
  // A moment equal to `now` is still ahead: rules compare with `>` on one side and `>=` on the other.
  const next = moments.reduce((soonest, m) => (m >= now && m < soonest ? m : soonest), Number.POSITIVE_INFINITY);
  useEffect(() => {
    if (next === Number.POSITIVE_INFINITY) return;
    let timer: ReturnType<typeof setTimeout>;
    // A wake-up not past `next` (a delay capped at MAX_DELAY_MS, a clock set back) waits again.
    const arm = () => {
      timer = setTimeout(
        () => (Date.now() > next ? setNow(Date.now()) : arm()),
        Math.min(MAX_DELAY_MS, Math.max(0, next - Date.now()) + AFTER_MS),
      );
    };
    arm();
    return () => clearTimeout(timer);
  }, [next]);
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === "visible") setNow(Date.now());
    };
    document.addEventListener("visibilitychange", refresh);
    window.addEventListener("pageshow", refresh);
    window.addEventListener("focus", refresh);
    return () => {
      document.removeEventListener("visibilitychange", refresh);
      window.removeEventListener("pageshow", refresh);
      window.removeEventListener("focus", refresh);
    };
  }, []);
  return now;
}
