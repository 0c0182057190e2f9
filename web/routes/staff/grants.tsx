import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { GRANTABLE_ROLES, GrantCreate, type GrantView } from "../../../worker/features/admin/admin.schema";
import { ConfirmAction } from "../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { focusFirstInvalid, SelectField, TextField } from "../../components/fields";
import { PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import { formatDate, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { communitiesQuery, grantsQuery, organisationsQuery } from "../../lib/queries";
import { ForbiddenError } from "../../lib/roles";

export const Route = createFileRoute("/staff/grants")({
  beforeLoad: ({ context }) => {
    if (!context.sections.grants) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) =>
    Promise.all([
      queryClient.ensureQueryData(grantsQuery),
      queryClient.ensureQueryData(communitiesQuery),
      queryClient.ensureQueryData(organisationsQuery),
    ]),
  component: GrantsPage,
});

type Role = (typeof GRANTABLE_ROLES)[number];

const COMMUNITY_ROLES: Role[] = ["community_staff", "grid_worker"];
const ORGANISATION_ROLES: Role[] = ["org_staff", "org_admin"];

function GrantsPage() {
  const t = useT();
  const { data: grants } = useSuspenseQuery(grantsQuery);
  return (
    <>
      <PageHeading title={t("grants.title")} />
      <GrantForm />
      <section className="section" aria-labelledby="grant-list-title">
        <h2 id="grant-list-title">{t("grants.list")}</h2>
        {grants.length === 0 ? (
          <p className="muted">{t("grants.empty")}</p>
        ) : (
          <ul className="list">
            {grants.map((g) => (
              <GrantItem key={g.id} grant={g} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function GrantForm() {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { me, sections } = Route.useRouteContext();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const { data: organisations } = useSuspenseQuery(organisationsQuery);

  // Organisation admins may only add staff to their own organisations.
  const ownOrganisations = new Set(me.roles.filter((r) => r.role === "org_admin").map((r) => r.organisationId));
  const roles: readonly Role[] = sections.streetAdmin ? GRANTABLE_ROLES : ["org_staff"];
  const organisationChoices = sections.streetAdmin
    ? organisations
    : organisations.filter((o) => ownOrganisations.has(o.id));

  const [phone, setPhone] = useState("");
  const [role, setRole] = useState<Role>(roles[0] ?? "org_staff");
  const [communityId, setCommunityId] = useState("");
  const [organisationId, setOrganisationId] = useState("");
  const [invalid, setInvalid] = useState<Set<string>>(new Set());

  const needsCommunity = COMMUNITY_ROLES.includes(role);
  const needsOrganisation = ORGANISATION_ROLES.includes(role);

  const grant = useMutation({
    mutationFn: (input: GrantCreate) => unwrap(api.admin.grants.$post({ query: {}, json: input })),
    onSuccess: () => {
      setPhone("");
      return queryClient.invalidateQueries({ queryKey: grantsQuery.queryKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = new Set<string>();
    const parsed = GrantCreate.safeParse({
      phone,
      role,
      ...(needsCommunity && communityId ? { communityId } : {}),
      ...(needsOrganisation && organisationId ? { organisationId } : {}),
    });
    for (const issue of parsed.error?.issues ?? []) problems.add(String(issue.path[0]));
    if (needsCommunity && !communityId) problems.add("communityId");
    if (needsOrganisation && !organisationId) problems.add("organisationId");
    setInvalid(problems);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success && problems.size === 0) grant.mutate(parsed.data);
  }

  return (
    <section className="section" aria-labelledby="grant-form-title">
      <h2 id="grant-form-title">{t("grants.new")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <TextField
          label={t("grants.phone")}
          type="tel"
          inputMode="numeric"
          autoComplete="off"
          maxLength={11}
          value={phone}
          error={invalid.has("phone") ? t("invalid.phone") : undefined}
          onChange={(e) => {
            setPhone(e.target.value.replace(/\D/g, ""));
            grant.reset();
          }}
        />
        <SelectField
          label={t("grants.role")}
          value={role}
          options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          onChange={(e) => setRole(e.target.value as Role)}
        />
        {needsCommunity ? (
          <SelectField
            label={t("grants.community")}
            value={communityId}
            placeholder={t("me.chooseCommunity")}
            error={invalid.has("communityId") ? t("invalid.community") : undefined}
            options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
            onChange={(e) => setCommunityId(e.target.value)}
          />
        ) : null}
        {needsOrganisation ? (
          <SelectField
            label={t("grants.organisation")}
            value={organisationId}
            placeholder={t("grants.chooseOrganisation")}
            error={invalid.has("organisationId") ? t("invalid.organisation") : undefined}
            options={organisationChoices.map((o) => ({
              value: o.id,
              label: locale === "en" && o.nameEn ? o.nameEn : o.name,
            }))}
            onChange={(e) => setOrganisationId(e.target.value)}
          />
        ) : null}
        <ErrorNotice error={grant.error} />
        {grant.isSuccess ? <SuccessNotice>{t("grants.granted")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={grant.isPending}>
          {t("grants.submit")}
        </button>
      </form>
    </section>
  );
}

function GrantItem({ grant }: { grant: GrantView }) {
  const t = useT();
  const { locale } = usePreferences();
  const { me } = Route.useRouteContext();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => unwrap(api.admin.grants[":id"].revoke.$post({ param: { id: grant.id }, query: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: grantsQuery.queryKey }),
  });
  const who = grant.name ?? grant.phoneMasked ?? grant.accountId;
  const ownAdminRole = grant.accountId === me.account.id && grant.role === "street_admin";
  return (
    <li className="list__item">
      <span className="list__title">{who}</span>
      <span>
        {t(`role.${grant.role}`)} · {grant.scopeName ?? t("grants.streetWide")}
      </span>
      <span className="muted small">
        {grant.name && grant.phoneMasked ? `${grant.phoneMasked} · ` : ""}
        {t("grants.since", { date: formatDate(locale, grant.createdAt) })}
      </span>
      {ownAdminRole ? null : (
        <div>
          <ConfirmAction
            label={t("grants.revoke")}
            question={t("grants.revokeConfirm", { name: who, role: t(`role.${grant.role}`) })}
            confirmLabel={t("grants.revokeYes")}
            busy={revoke.isPending}
            onConfirm={() => revoke.mutate()}
          />
        </div>
      )}
      <ErrorNotice error={revoke.error} />
    </li>
  );
}
