import { type Booking, STATUS_TONE, statusText } from "../lib/bookings";
import { useT } from "../lib/i18n";

/** 待确认 / 已预约 / 候补第N位 / 已签到 / 已完成 / 未到 / 已取消, in words (the colour only repeats them). */
export function BookingStatusBadge({ booking }: { booking: Pick<Booking, "status" | "waitlistPosition"> }) {
  const t = useT();
  return <span className={`badge ${STATUS_TONE[booking.status]}`}>{statusText(t, booking)}</span>;
}
