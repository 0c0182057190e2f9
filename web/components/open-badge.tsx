import { hasHours, type OpeningHours } from "../lib/facilities";
import { useT } from "../lib/i18n";

/**
 * 营业中 / 已休息, said in words (the colour only repeats it). A place that publishes no hours
 * says so instead of being called closed.
 */
export function OpenBadge({ openNow, hours }: { openNow: boolean; hours: OpeningHours }) {
  const t = useT();
  if (!hasHours(hours)) return <span className="badge badge--muted">{t("hours.unknown")}</span>;
  return openNow ? (
    <span className="badge badge--open">
      <span className="badge__dot" aria-hidden="true" />
      {t("hours.openNow")}
    </span>
  ) : (
    <span className="badge badge--closed">{t("hours.closedNow")}</span>
  );
}
