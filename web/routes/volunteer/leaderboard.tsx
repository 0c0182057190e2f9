import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorNotice } from "../../components/error-notice";
import { SelectField } from "../../components/fields";
import { PageHeading } from "../../components/page";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { communitiesQuery, meQuery } from "../../lib/queries";
import { hoursText, leaderboardQuery } from "../../lib/volunteers";

export const Route = createFileRoute("/volunteer/leaderboard")({
  loader: ({ context: { queryClient } }) =>
    Promise.all([queryClient.ensureQueryData(communitiesQuery), queryClient.ensureQueryData(meQuery)]),
  component: LeaderboardPage,
});

/** A community's volunteers by approved hours this year: only those who chose to be shown. */
function LeaderboardPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const { data: me } = useSuspenseQuery(meQuery);
  const [communityId, setCommunityId] = useState(me?.account.communityId ?? communities[0]?.id ?? "");
  const board = useQuery({ ...leaderboardQuery(communityId), enabled: communityId !== "" });
  return (
    <div className="page">
      <PageHeading title={t("leaderboard.title")} lead={t("leaderboard.lead")} />
      <div className="card form">
        <SelectField
          label={t("me.community")}
          value={communityId}
          options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
          onChange={(e) => setCommunityId(e.target.value)}
        />
      </div>
      <ErrorNotice error={board.error} />
      {board.isPending ? <p role="status">{t("common.loading")}</p> : null}
      {board.data && board.data.entries.length === 0 ? <p className="muted">{t("leaderboard.empty")}</p> : null}
      {board.data && board.data.entries.length > 0 ? (
        <table className="table">
          <caption>{t("leaderboard.caption", { year: board.data.year, community: board.data.communityName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("leaderboard.rank")}</th>
              <th scope="col">{t("leaderboard.name")}</th>
              <th scope="col">{t("leaderboard.hours")}</th>
            </tr>
          </thead>
          <tbody>
            {board.data.entries.map((e) => (
              <tr key={e.number}>
                <td>{e.rank}</td>
                <th scope="row">
                  {e.name}
                  <span className="muted"> {e.number}</span>
                </th>
                <td>{hoursText(e.minutes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
