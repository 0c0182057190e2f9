import { useT } from "../lib/i18n";

/**
 * 营业中 / 已休息, said in words (the colour only repeats it). A place that publishes no hours
 * (the API's `openNow: null`) says so instead of being called closed.
 */
export function OpenBadge({ openNow }: { openNow: boolean | null }) {
  const t = useT();
  if (openNow === null) return <span className="badge badge--muted">{t("hours.unknown")}</span>;
  return openNow ? (
    <span className="badge badge--open">
      <span className="badge__dot" aria-hidden="true" />
      {t("hours.openNow")}
    </span>
  ) : (
    <span className="badge badge--closed">{t("hours.closedNow")}</span>
  );
}
