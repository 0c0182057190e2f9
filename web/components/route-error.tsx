import { useQueryErrorResetBoundary } from "@tanstack/react-query";
import { type ErrorComponentProps, useRouter } from "@tanstack/react-router";
import { useEffect } from "react";
import { useT } from "../lib/i18n";
import { ForbiddenError } from "../lib/roles";
import { ErrorNotice } from "./error-notice";
import { Forbidden, PageHeading } from "./page";

/** What a route shows when its checks or data loading fail. */
export function RouteError({ error }: ErrorComponentProps) {
  const t = useT();
  const router = useRouter();
  const queryReset = useQueryErrorResetBoundary();

  useEffect(() => {
    queryReset.reset();
  }, [queryReset]);

  if (error instanceof ForbiddenError) {
    return <Forbidden titleKey={error.titleKey} bodyKey={error.bodyKey} />;
  }
  return (
    <div className="page">
      <PageHeading title={t("error.pageFailed")} />
      <ErrorNotice error={error} />
      <p>
        <button type="button" className="button" onClick={() => router.invalidate()}>
          {t("common.retry")}
        </button>
      </p>
    </div>
  );
}
