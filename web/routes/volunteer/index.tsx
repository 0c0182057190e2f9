import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import type { Me } from "../../../worker/features/me/me.schema";
import { VolunteerProfilePatch } from "../../../worker/features/volunteers/volunteers.schema";
import { ConfirmAction } from "../../components/confirm-action";
import { Alert, ErrorNotice, SuccessNotice } from "../../components/error-notice";
import {
  CheckboxGroup,
  focusFirstInvalid,
  SelectField,
  Switch,
  TextAreaField,
  TextField,
} from "../../components/fields";
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
import { AvailabilityGrid } from "./-components/availability-grid";

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
          <Link to="/volunteer/shifts" className="button button--block">
            {t("volunteer.toShifts")}
          </Link>
          <Link to="/volunteer/hours" className="button button--secondary button--block">
            {t("volunteer.toHours")}
          </Link>
          <Link to="/volunteer/teams" className="button button--secondary button--block">
            {t("volunteer.toTeams")}
          </Link>
          <Link to="/volunteer/certificates" className="button button--secondary button--block">
            {t("volunteer.toCertificates")}
          </Link>
          <Link to="/volunteer/leaderboard" className="button button--secondary button--block">
            {t("volunteer.toLeaderboard")}
          </Link>
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
  const { data: options } = useSuspenseQuery(volunteerOptionsQuery);
  const [skills, setSkills] = useState<string[]>(volunteer.skills);
  const [skillsNote, setSkillsNote] = useState(volunteer.skillsNote ?? "");
  const [languages, setLanguages] = useState<string[]>(volunteer.languages);
  const [availability, setAvailability] = useState<string[]>(volunteer.availability);
  const [emergencyName, setEmergencyName] = useState(volunteer.emergencyName);
  const [emergencyPhone, setEmergencyPhone] = useState("");
  const [emergencyRelationship, setEmergencyRelationship] = useState(volunteer.emergencyRelationship);
  const [onLeaderboard, setOnLeaderboard] = useState(volunteer.onLeaderboard);
  const [invalid, setInvalid] = useState<Set<string>>(new Set());

  const save = useMutation({
    mutationFn: (patch: VolunteerProfilePatch) => unwrap(api.volunteers.me.$patch({ query: {}, json: patch })),
    onSuccess: (answer) => {
      queryClient.setQueryData(myVolunteerQuery.queryKey, answer.volunteer);
      setEmergencyPhone("");
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = VolunteerProfilePatch.safeParse({
      skills,
      skillsNote: skillsNote.trim() || null,
      languages,
      availability,
      emergencyName,
      // Shown masked; sent only when typed anew.
      ...(emergencyPhone.trim() ? { emergencyPhone } : {}),
      emergencyRelationship,
      onLeaderboard,
    });
    setInvalid(new Set(parsed.error?.issues.map((i) => String(i.path[0])) ?? []));
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) save.mutate(parsed.data);
  }
  const choices = (group: string, codes: readonly string[]) =>
    codes.map((code) => ({ value: code, label: optionLabel(t, group, code) }));
  const touched = () => save.reset();

  return (
    <section className="section" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("volunteer.profile")}</h2>
      <form className="card form" onSubmit={submit} onChange={touched} noValidate>
        <CheckboxGroup
          legend={t("volunteer.skills")}
          name="skills"
          inline
          options={choices("skill", options.skills)}
          value={skills}
          onChange={setSkills}
        />
        <TextAreaField
          label={t("volunteer.skillsNote")}
          optional
          rows={2}
          maxLength={300}
          value={skillsNote}
          error={invalid.has("skillsNote") ? t("invalid.tooLong") : undefined}
          onChange={(e) => setSkillsNote(e.target.value)}
        />
        <CheckboxGroup
          legend={t("volunteer.languages")}
          name="languages"
          inline
          options={choices("language", options.languages)}
          value={languages}
          onChange={setLanguages}
        />
        <AvailabilityGrid value={availability} onChange={setAvailability} />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t("volunteer.emergency")}</legend>
          <TextField
            label={t("volunteer.emergencyName")}
            maxLength={30}
            value={emergencyName}
            error={invalid.has("emergencyName") ? t("invalid.emergencyName") : undefined}
            onChange={(e) => setEmergencyName(e.target.value)}
          />
          <TextField
            label={t("volunteer.emergencyPhoneNew")}
            hint={t("volunteer.emergencyPhoneNow", { phone: volunteer.emergencyPhoneMasked })}
            type="tel"
            inputMode="numeric"
            autoComplete="off"
            maxLength={11}
            optional
            value={emergencyPhone}
            error={invalid.has("emergencyPhone") ? t("invalid.phone") : undefined}
            onChange={(e) => setEmergencyPhone(e.target.value)}
          />
          <SelectField
            label={t("volunteer.emergencyRelationship")}
            value={emergencyRelationship}
            options={choices("relationship", options.emergencyRelationships)}
            onChange={(e) => setEmergencyRelationship(e.target.value)}
          />
        </fieldset>
        <Switch
          label={t("volunteer.leaderboard")}
          hint={t("volunteer.leaderboardHint")}
          checked={onLeaderboard}
          onChange={(on) => {
            setOnLeaderboard(on);
            touched();
          }}
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
