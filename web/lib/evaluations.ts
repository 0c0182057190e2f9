import { queryOptions } from "@tanstack/react-query";
import { previousQuarter, quarterOf } from "../../worker/features/volunteers/evaluations.schema";
import { shanghaiDate } from "../../worker/lib/shanghai";
import { api, unwrap } from "./api";
import type { Translate } from "./i18n";

export { previousQuarter, quarterOf };

export const myEvaluationsQuery = queryOptions({
  queryKey: ["volunteers", "evaluations"],
  queryFn: () => unwrap(api.volunteers.me.evaluations.$get({ query: {} })),
});

/** Volunteer services received by me and the persons I act for, to rate. */
export const servedRecordsQuery = queryOptions({
  queryKey: ["me", "volunteer-services"],
  queryFn: async () => (await unwrap(api.me["volunteer-services"].$get({ query: {} }))).records,
});

export const teamSheetQuery = (teamId: string, period: string) =>
  queryOptions({
    queryKey: ["volunteers", "teams", teamId, "evaluations", period],
    queryFn: () => unwrap(api["volunteer-teams"][":id"].evaluations.$get({ param: { id: teamId }, query: { period } })),
  });

export const assessmentSettingsQuery = queryOptions({
  queryKey: ["volunteers", "assessment-settings"],
  queryFn: () => unwrap(api["volunteer-assessment-settings"].$get({ query: {} })),
});

export const staffAssessmentsQuery = (period: string, communityId: string | undefined) =>
  queryOptions({
    queryKey: ["staff", "assessments", period, communityId ?? "all"],
    queryFn: () =>
      unwrap(api.staff["volunteer-assessments"].$get({ query: { period, ...(communityId ? { communityId } : {}) } })),
  });

/** The quarter it is now (Beijing time), e.g. "2026-Q4". */
export function thisQuarter(): string {
  return quarterOf(shanghaiDate(Date.now()));
}

/** "2026 年第 4 季度" / "Q4 2026", or "2026 年" / "2026" for a year. */
export function periodLabel(t: Translate, period: string): string {
  return period.length === 4
    ? t("evaluation.year", { year: period })
    : t("evaluation.quarter", { year: period.slice(0, 4), quarter: period.slice(-1) });
}

/** The periods staff pick an assessment from: this quarter and the three before, this year and last. */
export function assessmentPeriods(): string[] {
  const quarters = [thisQuarter()];
  for (let i = 0; i < 3; i++) quarters.push(previousQuarter(quarters[quarters.length - 1] as string));
  const year = Number(thisQuarter().slice(0, 4));
  return [...quarters, String(year), String(year - 1)];
}

/** "4.5" — an average to one decimal, or a dash when there is none. */
export function averageText(value: number | null): string {
  return value === null ? "—" : (Math.round(value * 10) / 10).toFixed(1);
}
