import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { TextField } from "../../../components/fields";
import { api, unwrap } from "../../../lib/api";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { calendarFeedQuery } from "../../../lib/queries";

/**
 * A personal calendar subscription of my and my persons' bookings. The server keeps only a hash
 * of the link, so the link is shown once, right after it is made; a reset makes a new one.
 */
export function CalendarFeed() {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { data: feed } = useSuspenseQuery(calendarFeedQuery);
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState<"yes" | "manual" | null>(null);
  const field = useRef<HTMLInputElement>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: calendarFeedQuery.queryKey });
  const create = useMutation({
    mutationFn: () => unwrap(api.me["calendar-feed"].$post({ query: {} })),
    onSuccess: (result) => {
      setUrl(result.url);
      setCopied(null);
      return refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: () => unwrap(api.me["calendar-feed"].$delete({ query: {} })),
    onSuccess: () => {
      setUrl(null);
      setCopied(null);
      return refresh();
    },
  });

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      // No clipboard permission (or an older browser): select the text for a long-press copy.
      field.current?.select();
      setCopied("manual");
    }
  }

  const busy = create.isPending || revoke.isPending;
  return (
    <section className="section" aria-labelledby="calendar-title">
      <h2 id="calendar-title">{t("calendar.title")}</h2>
      <div className="card stack">
        <p>{t("calendar.intro")}</p>
        {url ? (
          <>
            <TextField ref={field} label={t("calendar.link")} hint={t("calendar.once")} readOnly value={url} />
            <button type="button" className="button button--block" onClick={copy}>
              {t("calendar.copy")}
            </button>
            {copied === "yes" ? <SuccessNotice>{t("calendar.copied")}</SuccessNotice> : null}
            {copied === "manual" ? <p role="status">{t("calendar.copyManually")}</p> : null}
          </>
        ) : feed.active ? (
          <p className="strong">
            {t("calendar.active", { date: feed.createdAt ? formatDate(locale, feed.createdAt) : "" })}
          </p>
        ) : null}
        {!feed.active ? (
          <button type="button" className="button button--block" disabled={busy} onClick={() => create.mutate()}>
            {t("calendar.create")}
          </button>
        ) : (
          // Keyed by the link's date, so the questions close once a new link is made.
          <div className="row" key={feed.createdAt ?? "none"}>
            <ConfirmAction
              label={t("calendar.reset")}
              question={t("calendar.resetConfirm")}
              confirmLabel={t("calendar.resetYes")}
              busy={busy}
              onConfirm={() => create.mutate()}
            />
            <ConfirmAction
              label={t("calendar.revoke")}
              question={t("calendar.revokeConfirm")}
              confirmLabel={t("calendar.revokeYes")}
              busy={busy}
              onConfirm={() => revoke.mutate()}
            />
          </div>
        )}
        <ErrorNotice error={create.error ?? revoke.error} />
      </div>
    </section>
  );
}
