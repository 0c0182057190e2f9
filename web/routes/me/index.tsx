import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import type { Me } from "../../../worker/features/me/me.schema";
import { ErrorNotice } from "../../components/error-notice";
import { PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import { useT } from "../../lib/i18n";
import { communitiesQuery, compoundsQuery, meQuery, personLinksQuery, proxyRequestsQuery } from "../../lib/queries";
import { clearDrafts } from "../../lib/use-draft";
import { DisplaySettings } from "./-components/display-settings";
import { ProfileForm } from "./-components/profile-form";
import { ProxySections } from "./-components/proxy-sections";

export const Route = createFileRoute("/me/")({
  loader: async ({ context: { queryClient } }) => {
    const me = await queryClient.ensureQueryData(meQuery);
    if (!me) return;
    const self = me.persons.find((p) => p.relationship === "self");
    await Promise.all([
      queryClient.ensureQueryData(communitiesQuery),
      queryClient.ensureQueryData(proxyRequestsQuery),
      me.account.communityId ? queryClient.ensureQueryData(compoundsQuery(me.account.communityId)) : null,
      self ? queryClient.ensureQueryData(personLinksQuery(self.id)) : null,
    ]);
  },
  component: MePage,
});

function MePage() {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  if (!me) {
    return (
      <div className="page">
        <PageHeading title={t("me.title")} />
        <section className="card" aria-labelledby="signed-out-title">
          <h2 id="signed-out-title">{t("me.signedOutTitle")}</h2>
          <p>{t("me.signedOutBody")}</p>
          <Link to="/login" search={{ redirect: "/me" }} className="button button--block">
            {t("common.signIn")}
          </Link>
        </section>
        <DisplaySettings />
      </div>
    );
  }
  return (
    <div className="page">
      <PageHeading title={t("me.title")} lead={me.account.displayName ?? me.account.phoneMasked} />
      <ProfileForm me={me} />
      <ProxySections me={me} />
      <section className="section" aria-labelledby="volunteer-title">
        <h2 id="volunteer-title">{t("me.volunteer")}</h2>
        <Link to="/volunteer" className="button button--secondary button--block">
          {t("me.volunteerLink")}
        </Link>
        <Link to="/me/services" className="button button--secondary button--block">
          {t("me.servicesLink")}
        </Link>
      </section>
      <DisplaySettings />
      {me.roles.length > 0 ? <Roles me={me} /> : null}
      <SignOut />
    </div>
  );
}

function Roles({ me }: { me: Me }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="roles-title">
      <h2 id="roles-title">{t("me.roles")}</h2>
      <ul className="list">
        {me.roles.map((r) => (
          <li key={r.id} className="list__item">
            <span className="list__title">{t(`role.${r.role}`)}</span>
            <span className="muted small">{r.scopeName ?? t("grants.streetWide")}</span>
          </li>
        ))}
      </ul>
      {me.isStaff ? (
        <Link to="/staff" className="button button--secondary button--block">
          {t("me.staffConsole")}
        </Link>
      ) : null}
    </section>
  );
}

function SignOut() {
  const t = useT();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => unwrap(api.auth.logout.$post({ query: {} })),
    onSuccess: async () => {
      // Nothing of this account may linger for the next person using the phone: the cache, drafts.
      queryClient.clear();
      clearDrafts();
      queryClient.setQueryData(meQuery.queryKey, null);
      await navigate({ to: "/" });
    },
  });
  return (
    <div className="stack">
      <ErrorNotice error={signOut.error} />
      <button
        type="button"
        className="button button--secondary button--block"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate()}
      >
        {signOut.isPending ? t("common.signingOut") : t("common.signOut")}
      </button>
    </div>
  );
}
