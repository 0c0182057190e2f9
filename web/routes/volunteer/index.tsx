import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import type { Me } from "../../../worker/features/me/me.schema";
import { VolunteerProfilePatch } from "../../../worker/features/volunteers/volunteers.schema";
import { ConfirmAction } from "../../components/confirm-action";
import { Alert, ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { focusFirstInvalid } from "../../components/fields";
import { PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import { formatDate, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { communitiesQuery, meQuery } from "../../lib/queries";
import {
  availabilityText,
  myVolunteerQuery,
  optionLabel,
  type Volunteer,
  volunteerOptionsQuery,
} from "../../lib/volunteers";
import { ApplyForm } from "./-components/apply-form";
import { type ProfileDraft, profileDraft, VolunteerProfileFields } from "./-components/profile-fields";

/** An approved volunteer's pages, the first (signing up for shifts) the main one. */
const SECTIONS = [
  ["/volunteer/shifts", "volunteer.toShifts"],
  ["/volunteer/hours", "volunteer.toHours"],
  ["/volunteer/teams", "volunteer.toTeams"],
  ["/volunteer/evaluations", "volunteer.toEvaluations"],
  ["/volunteer/certificates", "volunteer.toCertificates"],
  ["/volunteer/leaderboard", "volunteer.toLeaderboard"],
] as const;

export const Route = createFileRoute("/volunteer/")({
  loader: async ({ context: { queryClient } }) => {
    const me = await queryClient.ensureQueryData(meQuery);
    if (!me) return;
    await Promise.all([
      queryClient.ensureQueryData(myVolunteerQuery),
      queryClient.ensureQueryData(volunteerOptionsQuery),
      queryClient.ensureQueryData(communitiesQuery),
    ]);
  },
  component: VolunteerPage,
});

function VolunteerPage() {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  if (!me) {
    return (
      <div className="page">
        <PageHeading title={t("volunteer.title")} lead={t("volunteer.lead")} />
        <section className="card">
          <p>{t("volunteer.signInFirst")}</p>
          <Link to="/login" search={{ redirect: "/volunteer" }} className="button button--block">
            {t("common.signIn")}
          </Link>
        </section>
      </div>
    );
  }
  return <SignedIn me={me} />;
}

function SignedIn({ me }: { me: Me }) {
  const t = useT();
  const { data: volunteer } = useSuspenseQuery(myVolunteerQuery);
  const reapply = !volunteer || volunteer.status === "rejected" || volunteer.status === "withdrawn";
  return (
    <div className="page">
      <PageHeading title={t("volunteer.title")} lead={t("volunteer.lead")} focus />
      {volunteer?.status === "rejected" ? (
        <Alert title={t("volunteer.rejectedTitle")}>
          <p>{t("volunteer.rejectedBody", { reason: volunteer.reason ?? "" })}</p>
        </Alert>
      ) : null}
      {reapply ? <ApplyForm me={me} previous={volunteer} /> : <Registration volunteer={volunteer} />}
    </div>
  );
}

/** A live registration: where it stands, what it says, and (once approved) the volunteer's own changes. */
function Registration({ volunteer }: { volunteer: Volunteer }) {
  const t = useT();
  const { locale } = usePreferences();
  return (
    <>
      <section className="card" aria-labelledby="status-title">
        <h2 id="status-title">{t(`volunteer.status.${volunteer.status}`)}</h2>
        {volunteer.status === "pending" ? (
          <p>{t("volunteer.pendingBody", { community: volunteer.communityName })}</p>
        ) : null}
        {volunteer.status === "suspended" ? (
          <p>{t("volunteer.suspendedBody", { reason: volunteer.reason ?? "" })}</p>
        ) : null}
        <dl className="details">
          {volunteer.number ? (
            <>
              <dt>{t("volunteer.number")}</dt>
              <dd className="volunteer-card__number">{volunteer.number}</dd>
            </>
          ) : null}
          <dt>{t("volunteer.realName")}</dt>
          <dd>{volunteer.realName}</dd>
          <dt>{t("volunteer.idNumber")}</dt>
          <dd>{volunteer.idMasked}</dd>
          <dt>{t("volunteer.community")}</dt>
          <dd>{volunteer.communityName}</dd>
          <dt>{t("volunteer.appliedAt")}</dt>
          <dd>{formatDate(locale, volunteer.appliedAt)}</dd>
          {volunteer.guardianName ? (
            <>
              <dt>{t("volunteer.guardian")}</dt>
              <dd>
                {volunteer.guardianName} · {volunteer.guardianPhoneMasked}
                {volunteer.guardianConsentAt ? ` · ${t("volunteer.guardianConsented")}` : ""}
              </dd>
            </>
          ) : null}
        </dl>
        {volunteer.status === "pending" ? <Withdraw /> : null}
      </section>
      {volunteer.status === "approved" ? (
        <nav aria-label={t("volunteer.sections")} className="stack">
          {SECTIONS.map(([to, label], i) => (
            <Link
              key={to}
              to={to}
              className={i === 0 ? "button button--block" : "button button--secondary button--block"}
            >
              {t(label)}
            </Link>
          ))}
        </nav>
      ) : null}
      {volunteer.status === "approved" ? <ProfileForm volunteer={volunteer} /> : <Summary volunteer={volunteer} />}
    </>
  );
}

function Summary({ volunteer }: { volunteer: Volunteer }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="summary-title">
      <h2 id="summary-title">{t("volunteer.profile")}</h2>
      <dl className="card details">
        <dt>{t("volunteer.skills")}</dt>
        <dd>{volunteer.skills.map((s) => optionLabel(t, "skill", s)).join(t("common.listSeparator")) || "—"}</dd>
        <dt>{t("volunteer.languages")}</dt>
        <dd>{volunteer.languages.map((s) => optionLabel(t, "language", s)).join(t("common.listSeparator")) || "—"}</dd>
        <dt>{t("volunteer.availability")}</dt>
        <dd>{availabilityText(t, volunteer.availability) || "—"}</dd>
        <dt>{t("volunteer.emergency")}</dt>
        <dd>
          {volunteer.emergencyName} · {volunteer.emergencyPhoneMasked}
        </dd>
      </dl>
    </section>
  );
}

function Withdraw() {
  const t = useT();
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () => unwrap(api.volunteers.me.withdraw.$post({ query: {} })),
    onSuccess: (answer) => queryClient.setQueryData(myVolunteerQuery.queryKey, answer.volunteer),
  });
  return (
    <>
      <ConfirmAction
        label={t("volunteer.withdraw")}
        question={t("volunteer.withdrawQuestion")}
        confirmLabel={t("volunteer.withdrawConfirm")}
        busy={withdraw.isPending}
        onConfirm={() => withdraw.mutate()}
      />
      <ErrorNotice error={withdraw.error} />
    </>
  );
}

/** An approved volunteer's own changes: skills, languages, the weekly grid, emergency contact, leaderboard. */
function ProfileForm({ volunteer }: { volunteer: Volunteer }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ProfileDraft>(() => profileDraft(volunteer));
  const [invalid, setInvalid] = useState<Set<string>>(new Set());

  const save = useMutation({
    mutationFn: (patch: VolunteerProfilePatch) => unwrap(api.volunteers.me.$patch({ query: {}, json: patch })),
    onSuccess: (answer) => {
      queryClient.setQueryData(myVolunteerQuery.queryKey, answer.volunteer);
      setDraft((d) => ({ ...d, emergencyPhone: "" }));
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { emergencyPhone, skillsNote, emergencyRelationship, ...rest } = draft;
    const parsed = VolunteerProfilePatch.safeParse({
      ...rest,
      skillsNote: skillsNote.trim() || null,
      // Shown masked; sent only when typed anew.
      ...(emergencyPhone.trim() ? { emergencyPhone } : {}),
      ...(emergencyRelationship ? { emergencyRelationship } : {}),
    });
    setInvalid(new Set(parsed.error?.issues.map((i) => String(i.path[0])) ?? []));
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) save.mutate(parsed.data);
  }
  const error = (field: keyof ProfileDraft) => {
    if (!invalid.has(field)) return undefined;
    if (field === "emergencyPhone") return t("invalid.phone");
    if (field === "emergencyName") return t("invalid.emergencyName");
    return t("invalid.tooLong");
  };

  return (
    <section className="section" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("volunteer.profile")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <VolunteerProfileFields
          draft={draft}
          onChange={(patch) => {
            setDraft((d) => ({ ...d, ...patch }));
            save.reset();
          }}
          error={error}
          currentPhone={volunteer.emergencyPhoneMasked}
        />
        <ErrorNotice error={save.error} />
        {save.isSuccess ? <SuccessNotice>{t("volunteer.saved")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={save.isPending}>
          {save.isPending ? t("common.saving") : t("volunteer.save")}
        </button>
      </form>
    </section>
  );
}
