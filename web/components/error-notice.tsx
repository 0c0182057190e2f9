import type { ReactNode } from "react";
import { ApiError } from "../lib/api";
import { hasMessage, type MessageKey, useT } from "../lib/i18n";
import { usePreferences } from "../lib/preferences";

/**
 * Announces a failed request: what went wrong in the reader's language, the server's own
 * message, and the request id (small) for support. The server's message is English: in English
 * it is the second line; in Chinese it goes with the request id, small, for whoever helps.
 * `messages` words an error code the way this screen needs (e.g. NOT_FOUND at check-in means "no
 * such code here").
 */
export function ErrorNotice({ error, messages }: { error: unknown; messages?: Partial<Record<string, MessageKey>> }) {
  const t = useT();
  const { locale } = usePreferences();
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const own = api ? messages?.[api.code] : undefined;
  const key = own ?? (api ? `error.code.${api.code}` : "");
  const title = hasMessage(key) ? t(key) : t("error.generic");
  const detail = api ? (api.code === "NETWORK" ? null : api.message) : error instanceof Error ? error.message : null;
  return (
    <Alert title={title}>
      {detail ? (
        <p className={locale === "en" ? undefined : "alert__meta"}>{t("error.detail", { message: detail })}</p>
      ) : null}
      {api?.requestId ? <p className="alert__meta">{t("error.requestId", { id: api.requestId })}</p> : null}
    </Alert>
  );
}

/** Something the reader must know now (announced as it appears): a title, then any detail. */
export function Alert({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="alert" role="alert">
      <p className="alert__title">{title}</p>
      {children}
    </div>
  );
}

/** A polite confirmation that something was saved. */
export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}
