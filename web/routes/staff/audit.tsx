import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { z } from "zod";
import { PageHeading } from "../../components/page";
import { formatDate, translateKnown, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { auditQuery } from "../../lib/queries";
import { ForbiddenError } from "../../lib/roles";

const AuditSearch = z.object({
  // Show entries older than this instant (epoch ms); absent: the newest.
  before: z.number().int().positive().optional().catch(undefined),
});

export const Route = createFileRoute("/staff/audit")({
  validateSearch: AuditSearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.audit) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loaderDeps: ({ search }) => ({ before: search.before }),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(auditQuery(deps.before)),
  component: AuditPage,
});

function AuditPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { before } = Route.useSearch();
  const { data } = useSuspenseQuery(auditQuery(before));
  return (
    <>
      <PageHeading title={t("audit.title")} lead={t("staff.auditDesc")} />
      {data.entries.length === 0 ? (
        <p className="muted">{t("audit.empty")}</p>
      ) : (
        <ol className="list">
          {data.entries.map((e) => (
            <li key={e.id} className="list__item">
              <span className="list__title">{translateKnown(t, `auditAction.${e.action}`, e.action)}</span>
              <span className="muted small">
                {formatDate(locale, e.at, true)} ·{" "}
                {e.actorPhoneMasked ? t("audit.actor", { phone: e.actorPhoneMasked }) : t("audit.system")}
              </span>
              <span className="mono">{t("audit.subject", { type: e.subjectType, id: e.subjectId })}</span>
              {e.requestId ? <span className="mono muted">{t("audit.request", { id: e.requestId })}</span> : null}
            </li>
          ))}
        </ol>
      )}
      <nav className="pager" aria-label={t("common.pagination")}>
        {before ? (
          <Link to="/staff/audit" search={{}} className="button button--secondary">
            {t("audit.latest")}
          </Link>
        ) : (
          <span />
        )}
        {data.nextBefore ? (
          <Link to="/staff/audit" search={{ before: data.nextBefore }} className="button button--secondary">
            {t("audit.older")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
