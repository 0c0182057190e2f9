import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, redirect } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { Quarter } from "../../../worker/features/volunteers/evaluations.schema";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { TextAreaField } from "../../components/fields";
import { EmptyState, PageHeading } from "../../components/page";
import { ScoreField, Stars } from "../../components/stars";
import { api, unwrap } from "../../lib/api";
import { periodLabel, previousQuarter, teamSheetQuery, thisQuarter } from "../../lib/evaluations";
import { useT } from "../../lib/i18n";
import { teamsQuery } from "../../lib/volunteers";

const EvaluateSearch = z.object({ period: Quarter.optional().catch(undefined) });

export const Route = createFileRoute("/volunteer/evaluate/$teamId")({
  validateSearch: EvaluateSearch,
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loaderDeps: ({ search }) => ({ period: search.period ?? thisQuarter() }),
  loader: ({ context: { queryClient }, params, deps }) =>
    Promise.all([
      queryClient.ensureQueryData(teamSheetQuery(params.teamId, deps.period)),
      queryClient.ensureQueryData(teamsQuery),
    ]),
  component: EvaluatePage,
});

type Sheet = Awaited<ReturnType<NonNullable<ReturnType<typeof teamSheetQuery>["queryFn"]>>>;
type Member = Sheet["members"][number];

/** A team leader (or the team's staff) evaluates each member for this quarter or the last. */
function EvaluatePage() {
  const t = useT();
  const { teamId } = Route.useParams();
  const period = Route.useSearch().period ?? thisQuarter();
  const { data: sheet } = useSuspenseQuery(teamSheetQuery(teamId, period));
  const { data: teams } = useSuspenseQuery(teamsQuery);
  const team = teams.find((x) => x.id === teamId);
  const current = thisQuarter();
  const others = sheet.members.filter((m) => !m.isMe);
  return (
    <div className="page">
      <PageHeading
        title={t("teamEvaluation.title", { team: team?.name ?? "" })}
        lead={t("teamEvaluation.lead", { period: periodLabel(t, period) })}
      />
      <nav className="row" aria-label={t("teamEvaluation.periods")}>
        {[current, previousQuarter(current)].map((p) => (
          <Link
            key={p}
            from="/volunteer/evaluate/$teamId"
            search={{ period: p }}
            className={p === period ? "button button--small" : "button button--secondary button--small"}
            aria-current={p === period ? "page" : undefined}
          >
            {periodLabel(t, p)}
          </Link>
        ))}
      </nav>
      {others.length === 0 ? (
        <EmptyState icon="people" title={t("teamEvaluation.emptyTitle")} body={t("teamEvaluation.emptyBody")} />
      ) : (
        <ul className="list">
          {others.map((m) => (
            <MemberForm key={`${m.volunteerId}-${period}`} teamId={teamId} period={period} member={m} />
          ))}
        </ul>
      )}
    </div>
  );
}

function MemberForm({ teamId, period, member }: { teamId: string; period: string; member: Member }) {
  const t = useT();
  const queryClient = useQueryClient();
  const given = member.evaluation;
  const [scores, setScores] = useState({
    punctuality: given?.punctuality ?? null,
    attitude: given?.attitude ?? null,
    skill: given?.skill ?? null,
  } as Record<"punctuality" | "attitude" | "skill", number | null>);
  const [comment, setComment] = useState(given?.comment ?? "");
  const [tried, setTried] = useState(false);
  const save = useMutation({
    mutationFn: (body: { punctuality: number; attitude: number; skill: number; comment?: string }) =>
      unwrap(
        api["volunteer-teams"][":id"].evaluations.$put({
          param: { id: teamId },
          query: {},
          json: { volunteerId: member.volunteerId, period, ...body },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamSheetQuery(teamId, period).queryKey }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    const { punctuality, attitude, skill } = scores;
    if (punctuality === null || attitude === null || skill === null) return;
    save.mutate({ punctuality, attitude, skill, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  }
  const missing = (value: number | null) => (tried && value === null ? t("teamEvaluation.choose") : undefined);
  const titleId = `member-${member.volunteerId}`;
  return (
    <li className="list__item card stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="list__title">
        {member.realName} · {member.number}
      </h2>
      {member.assessment ? (
        <p className="muted">
          {t("teamEvaluation.assessed", { score: member.assessment.score.toFixed(1) })}{" "}
          <Stars value={member.assessment.stars} />
        </p>
      ) : null}
      <form className="form" onSubmit={submit} noValidate>
        {(["punctuality", "attitude", "skill"] as const).map((part) => (
          <ScoreField
            key={part}
            legend={t(`evaluation.${part}`)}
            value={scores[part]}
            onChange={(value) => setScores((s) => ({ ...s, [part]: value }))}
            error={missing(scores[part])}
          />
        ))}
        <TextAreaField
          label={t("teamEvaluation.comment")}
          optional
          maxLength={300}
          rows={2}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <ErrorNotice error={save.error} />
        {save.isSuccess ? <SuccessNotice>{t("teamEvaluation.saved", { name: member.realName })}</SuccessNotice> : null}
        <button type="submit" className="button" disabled={save.isPending}>
          {given
            ? t("teamEvaluation.update", { name: member.realName })
            : t("teamEvaluation.save", { name: member.realName })}
        </button>
      </form>
    </li>
  );
}
