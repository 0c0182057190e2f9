import { useT } from "../../../lib/i18n";

/** How full a slot is: a bar for the eye, the numbers in words for everyone. */
export function FillLevel({
  capacity,
  taken,
  waitlisted,
  checkedIn,
}: {
  capacity: number;
  taken: number;
  waitlisted: number;
  checkedIn?: number;
}) {
  const t = useT();
  const parts = [
    t("fill.taken", { taken, capacity }),
    checkedIn !== undefined ? t("fill.checkedIn", { count: checkedIn }) : null,
    waitlisted > 0 ? t("fill.waitlisted", { count: waitlisted }) : null,
  ].filter(Boolean);
  return (
    <span className="fill">
      <progress className="fill__bar" max={capacity} value={Math.min(taken, capacity)} aria-hidden="true" />
      <span className="small">{parts.join(" · ")}</span>
    </span>
  );
}
