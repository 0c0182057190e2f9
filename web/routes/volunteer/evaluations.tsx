import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, redirect } from "@tanstack/react-router";
import { AssessmentFormula } from "../../components/assessment-formula";
import { EmptyState, PageHeading } from "../../components/page";
import { Stars } from "../../components/stars";
import { averageText, myEvaluationsQuery, periodLabel } from "../../lib/evaluations";
import { useT } from "../../lib/i18n";
import { hoursText } from "../../lib/volunteers";

export const Route = createFileRoute("/volunteer/evaluations")({
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(myEvaluationsQuery),
  component: EvaluationsPage,
});

/** A volunteer's three kinds of evaluation: assessments, their teams' evaluations, and the people served's ratings. */
function EvaluationsPage() {
  const t = useT();
  const { data } = useSuspenseQuery(myEvaluationsQuery);
  const { settings } = data;
  return (
    <div className="page">
      <PageHeading title={t("evaluation.title")} lead={t("evaluation.lead")} />
      <section className="section" aria-labelledby="assessments-title">
        <h2 id="assessments-title">{t("evaluation.assessments")}</h2>
        {data.assessments.length === 0 ? (
          <p className="muted">{t("evaluation.noAssessments")}</p>
        ) : (
          <ul className="list">
            {data.assessments.map((a) => (
              <li key={a.period} className="list__item card stack">
                <h3 className="list__title">{periodLabel(t, a.period)}</h3>
                <p className="strong">
                  {t("evaluation.score", { score: a.score.toFixed(1) })} <Stars value={a.stars} />
                </p>
                {a.final ? null : <span className="badge badge--muted">{t("evaluation.provisional")}</span>}
                <dl className="details">
                  <dt>{t("evaluation.partHours")}</dt>
                  <dd>{t("hours.hours", { hours: hoursText(a.minutes) })}</dd>
                  <dt>{t("evaluation.partRatings")}</dt>
                  <dd>{t("evaluation.averageOf", { average: averageText(a.ratingAverage), count: a.ratingCount })}</dd>
                  <dt>{t("evaluation.partTeam")}</dt>
                  <dd>{t("evaluation.averageOf", { average: averageText(a.teamAverage), count: a.teamCount })}</dd>
                  <dt>{t("evaluation.partNoShows")}</dt>
                  <dd>{a.noShows}</dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
        <details className="card">
          <summary>{t("evaluation.howTitle")}</summary>
          <AssessmentFormula settings={settings} />
        </details>
      </section>
      <section className="section" aria-labelledby="team-evaluations-title">
        <h2 id="team-evaluations-title">{t("evaluation.team")}</h2>
        {data.teamEvaluations.length === 0 ? (
          <p className="muted">{t("evaluation.noTeam")}</p>
        ) : (
          <ul className="list">
            {data.teamEvaluations.map((e) => (
              <li key={`${e.teamId}-${e.period}`} className="list__item">
                <span className="list__text">
                  <span className="list__title">
                    {e.teamName} · {periodLabel(t, e.period)}
                  </span>
                  <span>
                    {t("evaluation.punctuality")} {e.punctuality} · {t("evaluation.attitude")} {e.attitude} ·{" "}
                    {t("evaluation.skill")} {e.skill}
                  </span>
                  {e.comment ? <span className="pre-line">{e.comment}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="section" aria-labelledby="ratings-title">
        <h2 id="ratings-title">{t("evaluation.ratings")}</h2>
        <p className="muted">{t("evaluation.ratingsNote")}</p>
        {data.ratings.length === 0 ? (
          <EmptyState icon="people" title={t("evaluation.noRatingsTitle")} body={t("evaluation.noRatingsBody")} />
        ) : (
          <ul className="list">
            {data.ratings.map((r, i) => (
              // Ratings carry no id: they are told without the service they were for.
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed once loaded
              <li key={i} className="list__item">
                <span className="list__text">
                  <Stars value={r.stars} />
                  {r.comment ? <span className="pre-line">{r.comment}</span> : null}
                  <span className="muted">
                    {r.organisationName} ·{" "}
                    {t("evaluation.month", { year: r.month.slice(0, 4), month: Number(r.month.slice(5)) })}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
