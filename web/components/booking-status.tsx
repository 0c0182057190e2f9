import { type Booking, leftOver, STATUS_TONE, statusText } from "../lib/bookings";
import { useT } from "../lib/i18n";

/**
 * 待确认 / 已预约 / 候补第N位 / 已签到 / 已完成 / 未到 / 已取消, in words (the colour only repeats
 * them) — and, once the slot is over, 待机构登记 for a place nobody recorded, 候补未成功 for a waitlist.
 */
export function BookingStatusBadge({
  booking,
  at = Date.now(),
}: {
  booking: Pick<Booking, "status" | "waitlistPosition"> & { slot?: Pick<Booking["slot"], "endsAt"> };
  /** The time to judge by (a page's `useNow`); now by default. */
  at?: number;
}) {
  const t = useT();
  const tone = leftOver(booking, at) ? "badge--muted" : STATUS_TONE[booking.status];
  return <span className={`badge ${tone}`}>{statusText(t, booking, at)}</span>;
}
