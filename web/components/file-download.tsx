import { useMutation } from "@tanstack/react-query";
import { ApiError, apiErrorOf } from "../lib/api";
import { useT } from "../lib/i18n";
import { ErrorNotice } from "./error-notice";

/** The file name a `Content-Disposition: attachment; filename="…"` header gives, if any. */
function fileNameOf(disposition: string | null): string | null {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? null;
}

/**
 * A button that downloads a file from the API (a CSV export): fetched first, so a refusal — a
 * range too long, a session that ended — is said on the page with the API's own words instead of
 * the browser's bare "download failed"; then saved under the name the answer gives.
 *
 * @example
 * <FileDownload href={`/api/offerings/${id}/bookings.csv?from=${from}&to=${to}`} label={t("staffOfferings.download")} />
 */
export function FileDownload({
  href,
  label,
  fallbackName,
  className = "button button--secondary",
}: {
  href: string;
  label: string;
  /** Used when the answer names no file. */
  fallbackName: string;
  className?: string;
}) {
  const t = useT();
  const download = useMutation({
    mutationFn: async () => {
      let res: Response;
      try {
        res = await fetch(href, { credentials: "same-origin" });
      } catch (cause) {
        throw new ApiError(0, "NETWORK", cause instanceof Error ? cause.message : "Network error", null);
      }
      if (!res.ok) throw await apiErrorOf(res);
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = fileNameOf(res.headers.get("content-disposition")) ?? fallbackName;
      document.body.append(link);
      link.click();
      link.remove();
      // Some browsers read the file after the click returns: let it go a moment later.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  return (
    <>
      <button type="button" className={className} disabled={download.isPending} onClick={() => download.mutate()}>
        {download.isPending ? t("download.preparing") : label}
      </button>
      <ErrorNotice error={download.error} />
    </>
  );
}
