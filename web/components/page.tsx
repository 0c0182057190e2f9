import { Link } from "@tanstack/react-router";
import { type ReactNode, useEffect, useRef } from "react";
import { type MessageKey, useT } from "../lib/i18n";
import { Icon, type IconName } from "./icon";

/**
 * The page's one h1; also names the browser tab, so screen readers announce the new page.
 * `focus`: take the focus when drawn — for a heading that replaces what had it (a form gone
 * after a refusal), so keyboards and screen readers start from what the page says now.
 */
export function PageHeading({ title, lead, focus = false }: { title: string; lead?: ReactNode; focus?: boolean }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, t]);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  return (
    <header className="page-header">
      <h1 ref={heading} tabIndex={focus ? -1 : undefined}>
        {title}
      </h1>
      {lead ? <p className="lead">{lead}</p> : null}
    </header>
  );
}

export function EmptyState({ icon, title, body }: { icon: IconName; title: string; body: string }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <Icon name={icon} className="empty__icon" />
      <h2 id="empty-title">{title}</h2>
      <p className="empty__body">{body}</p>
    </section>
  );
}

export function Pending() {
  const t = useT();
  return (
    <p className="pending" role="status">
      {t("common.loading")}
    </p>
  );
}

export function NotFound() {
  const t = useT();
  return (
    <div className="page">
      <PageHeading title={t("notFound.title")} lead={t("notFound.body")} />
      <p>
        <Link to="/" className="button">
          {t("notFound.home")}
        </Link>
      </p>
    </div>
  );
}

/** A screen that tells the reader this place is not for them, and why. */
export function Forbidden({ titleKey, bodyKey }: { titleKey: MessageKey; bodyKey: MessageKey }) {
  const t = useT();
  return (
    <div className="page">
      <PageHeading title={t(titleKey)} lead={t(bodyKey)} />
      <p>
        <Link to="/" className="button button--secondary">
          {t("notFound.home")}
        </Link>
      </p>
    </div>
  );
}
