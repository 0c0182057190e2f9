import type { ReactNode } from "react";
import { ApiError } from "../lib/api";
import { hasMessage, useT } from "../lib/i18n";

/**
 * Announces a failed request: what went wrong in the reader's language, the server's own
 * message, and the request id (small) for support.
 */
export function ErrorNotice({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const key = api ? `error.code.${api.code}` : "";
  const title = hasMessage(key) ? t(key) : t("error.generic");
  const detail = api ? (api.code === "NETWORK" ? null : api.message) : error instanceof Error ? error.message : null;
  return (
    <div className="alert" role="alert">
      <p className="alert__title">{title}</p>
      {detail ? <p>{t("error.detail", { message: detail })}</p> : null}
      {api?.requestId ? <p className="alert__meta">{t("error.requestId", { id: api.requestId })}</p> : null}
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
