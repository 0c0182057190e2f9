import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { AssessmentSettings, Period } from "../../../worker/features/volunteers/evaluations.schema";
import { AssessmentFormula } from "../../components/assessment-formula";
import { Alert, ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { SelectField, TextField } from "../../components/fields";
import { PageHeading } from "../../components/page";
import { Stars } from "../../components/stars";
import { api, unwrap } from "../../lib/api";
import {
  assessmentPeriods,
  assessmentSettingsQuery,
  averageText,
  periodLabel,
  previousQuarter,
  staffAssessmentsQuery,
  thisQuarter,
} from "../../lib/evaluations";
import { formatDate, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { ForbiddenError } from "../../lib/roles";
import { hoursText } from "../../lib/volunteers";

// A year in the address ("?period=2026") reads back as a number: taken as its text.
const AssessmentSearch = z.object({ period: z.coerce.string().pipe(Period).optional().catch(undefined) });

export const Route = createFileRoute("/staff/assessments")({
  validateSearch: AssessmentSearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.volunteers) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loaderDeps: ({ search }) => ({ period: search.period ?? previousQuarter(thisQuarter()) }),
  loader: ({ context: { queryClient }, deps }) =>
    Promise.all([
      queryClient.ensureQueryData(staffAssessmentsQuery(deps.period, undefined)),
      queryClient.ensureQueryData(assessmentSettingsQuery),
    ]),
  component: AssessmentsPage,
});

/** Periodic assessments of volunteers: results for community staff; weights and computing for street admins. */
function AssessmentsPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { sections } = Route.useRouteContext();
  const navigate = useNavigate({ from: "/staff/assessments" });
  const period = Route.useSearch().period ?? previousQuarter(thisQuarter());
  const { data } = useSuspenseQuery(staffAssessmentsQuery(period, undefined));
  const periods = assessmentPeriods();
  return (
    <>
      <PageHeading title={t("assessments.title")} lead={t("assessments.lead")} />
      <div className="card form">
        <SelectField
          label={t("assessments.period")}
          value={period}
          options={(periods.includes(period) ? periods : [period, ...periods]).map((p) => ({
            value: p,
            label: periodLabel(t, p),
          }))}
          onChange={(e) => void navigate({ search: { period: e.target.value } })}
        />
      </div>
      {sections.streetAdmin ? <Compute period={period} /> : null}
      <section className="section" aria-labelledby="results-title">
        <h2 id="results-title">{t("assessments.results", { period: periodLabel(t, period) })}</h2>
        {data.run ? (
          <p className="muted">
            {t(data.run.final ? "assessments.final" : "assessments.provisional", {
              at: formatDate(locale, data.run.computedAt, true),
              count: data.run.assessed,
            })}
          </p>
        ) : (
          <p className="muted">{t("assessments.notRun")}</p>
        )}
        {data.truncated ? <p className="muted">{t("assessments.truncated")}</p> : null}
        {data.assessments.length > 0 ? (
          <section
            className="table-scroll"
            aria-label={t("assessments.caption", { period: periodLabel(t, period) })}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
            tabIndex={0}
          >
            <table className="table">
              <caption>{t("assessments.caption", { period: periodLabel(t, period) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("assessments.volunteer")}</th>
                  <th scope="col">{t("assessments.score")}</th>
                  <th scope="col">{t("evaluation.partHours")}</th>
                  <th scope="col">{t("evaluation.partRatings")}</th>
                  <th scope="col">{t("evaluation.partTeam")}</th>
                  <th scope="col">{t("evaluation.partNoShows")}</th>
                </tr>
              </thead>
              <tbody>
                {data.assessments.map((a) => (
                  <tr key={a.volunteerId}>
                    <th scope="row">
                      {a.realName}
                      <span className="muted">
                        {" "}
                        {a.volunteerNumber} · {a.communityName}
                      </span>
                    </th>
                    <td>
                      {a.score.toFixed(1)} <Stars value={a.stars} />
                    </td>
                    <td>{hoursText(a.minutes)}</td>
                    <td>
                      {averageText(a.ratingAverage)} ({a.ratingCount})
                    </td>
                    <td>
                      {averageText(a.teamAverage)} ({a.teamCount})
                    </td>
                    <td>{a.noShows}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
      </section>
      <SettingsSection editable={sections.streetAdmin} />
    </>
  );
}

/** A street admin computes (or recomputes) the period's assessment. */
function Compute({ period }: { period: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const compute = useMutation({
    mutationFn: () => unwrap(api.admin["volunteer-assessments"].$post({ query: {}, json: { period } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["staff", "assessments"] }),
  });
  return (
    <section className="section stack" aria-labelledby="compute-title">
      <h2 id="compute-title">{t("assessments.compute")}</h2>
      <p className="muted">{t("assessments.computeHint")}</p>
      <ErrorNotice error={compute.error} messages={{ VALIDATION_FAILED: "assessments.notBegun" }} />
      {compute.isSuccess ? (
        <SuccessNotice>{t("assessments.computed", { count: compute.data.assessed })}</SuccessNotice>
      ) : null}
      <button type="button" className="button" disabled={compute.isPending} onClick={() => compute.mutate()}>
        {t("assessments.computeButton", { period: periodLabel(t, period) })}
      </button>
    </section>
  );
}

const FIELDS = ["hoursWeight", "ratingWeight", "teamWeight", "noShowPenalty", "quarterTargetHours"] as const;

/** The weights in force; a street admin changes them. */
function SettingsSection({ editable }: { editable: boolean }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(assessmentSettingsQuery);
  const [form, setForm] = useState(
    () =>
      ({
        ...Object.fromEntries(FIELDS.map((f) => [f, String(data.settings[f])])),
        thresholds: data.settings.starThresholds.join(", "),
      }) as Record<(typeof FIELDS)[number] | "thresholds", string>,
  );
  const [invalid, setInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (settings: AssessmentSettings) =>
      unwrap(api.admin["volunteer-assessment-settings"].$put({ query: {}, json: settings })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: assessmentSettingsQuery.queryKey }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = AssessmentSettings.safeParse({
      ...Object.fromEntries(FIELDS.map((f) => [f, Number(form[f])])),
      starThresholds: form.thresholds
        .split(/[,，\s]+/)
        .filter(Boolean)
        .map(Number),
    });
    setInvalid(!parsed.success);
    if (parsed.success) save.mutate(parsed.data);
  }
  return (
    <section className="section" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("assessments.settings")}</h2>
      <AssessmentFormula settings={data.settings} />
      {editable ? (
        <form className="card form" onSubmit={submit} noValidate>
          {FIELDS.map((f) => (
            <TextField
              key={f}
              label={t(`assessments.${f}`)}
              inputMode="numeric"
              value={form[f]}
              onChange={(e) => setForm((x) => ({ ...x, [f]: e.target.value.replace(/\D/g, "") }))}
            />
          ))}
          <TextField
            label={t("assessments.thresholds")}
            hint={t("assessments.thresholdsHint")}
            value={form.thresholds}
            onChange={(e) => setForm((x) => ({ ...x, thresholds: e.target.value }))}
          />
          {invalid ? <Alert title={t("assessments.invalid")} /> : null}
          <ErrorNotice error={save.error} />
          {save.isSuccess ? <SuccessNotice>{t("assessments.saved")}</SuccessNotice> : null}
          <button type="submit" className="button" disabled={save.isPending}>
            {t("assessments.save")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
