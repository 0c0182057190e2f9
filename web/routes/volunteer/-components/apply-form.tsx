import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Me } from "../../../../worker/features/me/me.schema";
import { idNumberBirthDate, isValidIdNumber } from "../../../../worker/features/persons/id-number";
import { VolunteerApplication } from "../../../../worker/features/volunteers/volunteers.schema";
import { ErrorNotice } from "../../../components/error-notice";
import { focusFirstInvalid, SelectField, TextField } from "../../../components/fields";
import { api, unwrap } from "../../../lib/api";
import { type MessageKey, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { communitiesQuery } from "../../../lib/queries";
import {
  ADULT_AGE,
  ageToday,
  MIN_VOLUNTEER_AGE,
  myVolunteerQuery,
  optionLabel,
  type Volunteer,
  volunteerOptionsQuery,
} from "../../../lib/volunteers";
import { type ProfileDraft, profileDraft, VolunteerProfileFields } from "./profile-fields";

/** Which message each field's problem shows. */
const FIELD_ERRORS: Record<string, MessageKey> = {
  realName: "invalid.realName",
  idNumber: "invalid.idNumber",
  communityId: "invalid.community",
  emergencyName: "invalid.emergencyName",
  emergencyPhone: "invalid.phone",
  emergencyRelationship: "invalid.relationship",
  guardian: "invalid.guardian",
  agreeToCode: "invalid.agreeToCode",
  skillsNote: "invalid.tooLong",
};

/**
 * The application (real name, ID number, community, what and when, emergency contact, a minor's
 * guardian, the volunteer code). After a refusal it starts from what was sent before, except the
 * numbers, which are never sent back in full.
 */
export function ApplyForm({ me, previous }: { me: Me; previous: Volunteer | null }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const { data: options } = useSuspenseQuery(volunteerOptionsQuery);
  const [realName, setRealName] = useState(previous?.realName ?? me.account.displayName ?? "");
  const [idNumber, setIdNumber] = useState("");
  const [communityId, setCommunityId] = useState(previous?.communityId ?? me.account.communityId ?? "");
  const [profile, setProfile] = useState<ProfileDraft>(() => profileDraft(previous));
  const [guardianName, setGuardianName] = useState("");
  const [guardianPhone, setGuardianPhone] = useState("");
  const [guardianRelationship, setGuardianRelationship] = useState("");
  const [agree, setAgree] = useState(false);
  const [invalid, setInvalid] = useState<Set<string>>(new Set());

  const id = idNumber.trim().toUpperCase();
  const age = isValidIdNumber(id) ? ageToday(idNumberBirthDate(id)) : null;
  const tooYoung = age !== null && age < MIN_VOLUNTEER_AGE;
  const minor = age !== null && age >= MIN_VOLUNTEER_AGE && age < ADULT_AGE;

  const apply = useMutation({
    mutationFn: (input: VolunteerApplication) => unwrap(api.volunteers.me.$post({ query: {}, json: input })),
    onSuccess: (answer) => {
      queryClient.setQueryData(myVolunteerQuery.queryKey, answer.volunteer);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = VolunteerApplication.safeParse({
      realName,
      idNumber,
      communityId,
      ...profile,
      skillsNote: profile.skillsNote.trim() || undefined,
      ...(minor ? { guardian: { name: guardianName, phone: guardianPhone, relationship: guardianRelationship } } : {}),
      agreeToCode: agree,
    });
    const problems = new Set(parsed.error?.issues.map((i) => String(i.path[0])) ?? []);
    if (tooYoung) problems.add("idNumber");
    if (minor && !parsed.data?.guardian) problems.add("guardian");
    setInvalid(problems);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success && problems.size === 0) apply.mutate(parsed.data);
  }

  const error = (field: string) => {
    if (!invalid.has(field)) return undefined;
    if (field === "idNumber" && tooYoung) return t("volunteer.tooYoung", { age: MIN_VOLUNTEER_AGE });
    const key = FIELD_ERRORS[field];
    return key ? t(key) : t("error.code.VALIDATION_FAILED");
  };
  const guardianChoices = options.guardianRelationships.map((code) => ({
    value: code,
    label: optionLabel(t, "guardianRelationship", code),
  }));

  return (
    <section className="section" aria-labelledby="apply-title">
      <h2 id="apply-title">{t("volunteer.applyTitle")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p>{t("volunteer.applyLead")}</p>
        <TextField
          label={t("volunteer.realName")}
          hint={t("volunteer.realNameHint")}
          autoComplete="name"
          maxLength={30}
          value={realName}
          error={error("realName")}
          onChange={(e) => setRealName(e.target.value)}
        />
        <TextField
          label={t("volunteer.idNumber")}
          hint={t("volunteer.idNumberHint")}
          inputMode="text"
          autoComplete="off"
          maxLength={18}
          value={idNumber}
          error={error("idNumber")}
          onChange={(e) => setIdNumber(e.target.value)}
        />
        <SelectField
          label={t("volunteer.community")}
          hint={t("volunteer.communityHint")}
          value={communityId}
          placeholder={t("me.chooseCommunity")}
          error={error("communityId")}
          options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
          onChange={(e) => setCommunityId(e.target.value)}
        />
        {minor ? (
          <fieldset className="fieldset" aria-describedby="guardian-hint">
            <legend className="fieldset__legend">{t("volunteer.guardian")}</legend>
            <p className="field__hint" id="guardian-hint">
              {t("volunteer.guardianHint")}
            </p>
            <TextField
              label={t("volunteer.guardianName")}
              maxLength={30}
              value={guardianName}
              error={error("guardian")}
              onChange={(e) => setGuardianName(e.target.value)}
            />
            <TextField
              label={t("volunteer.guardianPhone")}
              type="tel"
              inputMode="numeric"
              maxLength={11}
              value={guardianPhone}
              error={error("guardian")}
              onChange={(e) => setGuardianPhone(e.target.value)}
            />
            <SelectField
              label={t("volunteer.guardianRelationship")}
              value={guardianRelationship}
              placeholder={t("volunteer.choose")}
              error={error("guardian")}
              options={guardianChoices}
              onChange={(e) => setGuardianRelationship(e.target.value)}
            />
          </fieldset>
        ) : null}
        <VolunteerProfileFields
          draft={profile}
          onChange={(patch) => setProfile((draft) => ({ ...draft, ...patch }))}
          error={error}
        />
        <VolunteerCode />
        <label className="choice">
          <input
            type="checkbox"
            name="agree"
            checked={agree}
            aria-invalid={invalid.has("agreeToCode") ? true : undefined}
            aria-describedby={invalid.has("agreeToCode") ? "agree-error" : undefined}
            onChange={(e) => setAgree(e.target.checked)}
          />
          {t("volunteer.agree")}
        </label>
        {invalid.has("agreeToCode") ? (
          <p className="field__error" id="agree-error">
            {t("invalid.agreeToCode")}
          </p>
        ) : null}
        <ErrorNotice
          error={apply.error}
          messages={{ CONFLICT: "volunteer.conflict", NOT_ELIGIBLE: "volunteer.notEligible" }}
        />
        <button type="submit" className="button button--block" disabled={apply.isPending}>
          {apply.isPending ? t("volunteer.applying") : t("volunteer.apply")}
        </button>
      </form>
    </section>
  );
}

/** The volunteer code (志愿者守则) an applicant agrees to. */
function VolunteerCode() {
  const t = useT();
  const rules: MessageKey[] = [
    "volunteer.code.1",
    "volunteer.code.2",
    "volunteer.code.3",
    "volunteer.code.4",
    "volunteer.code.5",
  ];
  return (
    <section className="code-of-conduct" aria-labelledby="code-title">
      <h3 id="code-title">{t("volunteer.codeTitle")}</h3>
      <ol>
        {rules.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ol>
    </section>
  );
}
