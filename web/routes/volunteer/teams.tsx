import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { useState } from "react";
import type { z } from "zod";
import type { TeamWithMe } from "../../../worker/features/volunteers/teams.schema";
import { ErrorNotice } from "../../components/error-notice";
import { EmptyState, PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import { useT } from "../../lib/i18n";
import { teamMembersQuery, teamsQuery } from "../../lib/volunteers";

export const Route = createFileRoute("/volunteer/teams")({
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(teamsQuery),
  component: TeamsPage,
});

type Team = z.infer<typeof TeamWithMe>;

function TeamsPage() {
  const t = useT();
  const { data: teams } = useSuspenseQuery(teamsQuery);
  return (
    <div className="page">
      <PageHeading title={t("teams.title")} lead={t("teams.lead")} />
      {teams.length === 0 ? (
        <EmptyState icon="people" title={t("teams.emptyTitle")} body={t("teams.emptyBody")} />
      ) : (
        <ul className="list">
          {teams.map((team) => (
            <TeamItem key={team.id} team={team} />
          ))}
        </ul>
      )}
    </div>
  );
}

function TeamItem({ team }: { team: Team }) {
  const t = useT();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["volunteers"] });
  const join = useMutation({
    mutationFn: () => unwrap(api["volunteer-teams"][":id"].join.$post({ param: { id: team.id }, query: {} })),
    onSuccess: refresh,
  });
  const leave = useMutation({
    mutationFn: () => unwrap(api["volunteer-teams"][":id"].leave.$post({ param: { id: team.id }, query: {} })),
    onSuccess: refresh,
  });
  const membership = team.myMembership;
  const live = membership && (membership.status === "pending" || membership.status === "active");
  const titleId = `team-${team.id}`;
  return (
    <li className="list__item card stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="list__title">
        {team.name}
      </h2>
      <p>
        {team.organisationName} · {t("teams.members", { count: team.memberCount })}
      </p>
      {team.description ? <p className="pre-line">{team.description}</p> : null}
      {live ? (
        <p className="badge">
          {membership.status === "pending"
            ? t("teams.asked")
            : t(membership.role === "leader" ? "teams.leader" : "teams.member")}
        </p>
      ) : null}
      <ErrorNotice error={join.error ?? leave.error} messages={{ FORBIDDEN: "teams.registerFirst" }} />
      {live ? (
        <button
          type="button"
          className="button button--secondary"
          disabled={leave.isPending}
          onClick={() => leave.mutate()}
        >
          {membership.status === "pending" ? t("teams.withdraw") : t("teams.leave")}
        </button>
      ) : (
        <button type="button" className="button" disabled={join.isPending} onClick={() => join.mutate()}>
          {t("teams.join")}
        </button>
      )}
      {team.canManage ? (
        <>
          <Members teamId={team.id} />
          <Link to="/volunteer/evaluate/$teamId" params={{ teamId: team.id }} className="button button--secondary">
            {t("teams.evaluate", { team: team.name })}
          </Link>
        </>
      ) : null}
    </li>
  );
}

/** Requests to join and members, for a leader or the team's staff to decide on. */
function Members({ teamId }: { teamId: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const members = useQuery({ ...teamMembersQuery(teamId), enabled: open });
  const decide = useMutation({
    mutationFn: ({ memberId, decision }: { memberId: string; decision: "approve" | "decline" }) =>
      unwrap(
        api["volunteer-teams"][":id"].members[":memberId"].decision.$post({
          param: { id: teamId, memberId },
          query: {},
          json: { decision },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["volunteers", "teams"] }),
  });
  if (!open) {
    return (
      <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
        {t("teams.manage")}
      </button>
    );
  }
  const list = members.data ?? [];
  return (
    <section aria-label={t("teams.manage")} className="stack">
      <ErrorNotice error={members.error ?? decide.error} />
      {members.isPending ? <p>{t("common.loading")}</p> : null}
      <ul className="list">
        {list.map((m) => (
          <li key={m.id} className="list__item stack">
            <span className="list__title">
              {m.realName} · {m.number}
            </span>
            <span className="muted">
              {m.phoneMasked} ·{" "}
              {t(m.status === "pending" ? "teams.asked" : m.role === "leader" ? "teams.leader" : "teams.member")}
            </span>
            {m.status === "pending" ? (
              <span className="row">
                <button
                  type="button"
                  className="button button--small"
                  disabled={decide.isPending}
                  onClick={() => decide.mutate({ memberId: m.id, decision: "approve" })}
                >
                  {t("teams.approve", { name: m.realName })}
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={decide.isPending}
                  onClick={() => decide.mutate({ memberId: m.id, decision: "decline" })}
                >
                  {t("teams.decline", { name: m.realName })}
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
