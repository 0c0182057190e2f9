import { useSuspenseQuery } from "@tanstack/react-query";
import { CheckboxGroup, SelectField, Switch, TextAreaField, TextField } from "../../../components/fields";
import { useT } from "../../../lib/i18n";
import { optionLabel, type Volunteer, volunteerOptionsQuery } from "../../../lib/volunteers";
import { AvailabilityGrid } from "./availability-grid";

/** What a volunteer tells about themself, on applying and afterwards. */
export interface ProfileDraft {
  skills: string[];
  skillsNote: string;
  languages: string[];
  availability: string[];
  emergencyName: string;
  emergencyPhone: string;
  emergencyRelationship: string;
  onLeaderboard: boolean;
}

/** The draft a form starts from: an earlier registration's answers (never its numbers), or blanks. */
export function profileDraft(from: Volunteer | null): ProfileDraft {
  return {
    skills: from?.skills ?? [],
    skillsNote: from?.skillsNote ?? "",
    languages: from?.languages ?? ["mandarin"],
    availability: from?.availability ?? [],
    emergencyName: from?.emergencyName ?? "",
    // Shown masked; typed anew.
    emergencyPhone: "",
    emergencyRelationship: from?.emergencyRelationship ?? "",
    onLeaderboard: from?.onLeaderboard ?? false,
  };
}

/**
 * Skills, languages, the weekly grid, the emergency contact and the leaderboard choice. With
 * `currentPhone` the emergency phone is optional: a new number replaces the one shown masked.
 */
export function VolunteerProfileFields({
  draft,
  onChange,
  error,
  currentPhone,
}: {
  draft: ProfileDraft;
  onChange: (patch: Partial<ProfileDraft>) => void;
  error: (field: keyof ProfileDraft) => string | undefined;
  currentPhone?: string;
}) {
  const t = useT();
  const { data: options } = useSuspenseQuery(volunteerOptionsQuery);
  const choices = (group: string, codes: readonly string[]) =>
    codes.map((code) => ({ value: code, label: optionLabel(t, group, code) }));
  return (
    <>
      <CheckboxGroup
        legend={t("volunteer.skills")}
        hint={t("volunteer.skillsHint")}
        name="skills"
        inline
        options={choices("skill", options.skills)}
        value={draft.skills}
        onChange={(skills) => onChange({ skills })}
      />
      <TextAreaField
        label={t("volunteer.skillsNote")}
        optional
        rows={2}
        maxLength={300}
        value={draft.skillsNote}
        error={error("skillsNote")}
        onChange={(e) => onChange({ skillsNote: e.target.value })}
      />
      <CheckboxGroup
        legend={t("volunteer.languages")}
        name="languages"
        inline
        options={choices("language", options.languages)}
        value={draft.languages}
        onChange={(languages) => onChange({ languages })}
      />
      <AvailabilityGrid value={draft.availability} onChange={(availability) => onChange({ availability })} />
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t("volunteer.emergency")}</legend>
        <TextField
          label={t("volunteer.emergencyName")}
          maxLength={30}
          value={draft.emergencyName}
          error={error("emergencyName")}
          onChange={(e) => onChange({ emergencyName: e.target.value })}
        />
        <TextField
          label={t(currentPhone ? "volunteer.emergencyPhoneNew" : "volunteer.emergencyPhone")}
          hint={currentPhone ? t("volunteer.emergencyPhoneNow", { phone: currentPhone }) : undefined}
          optional={!!currentPhone}
          type="tel"
          inputMode="numeric"
          autoComplete="off"
          maxLength={11}
          value={draft.emergencyPhone}
          error={error("emergencyPhone")}
          onChange={(e) => onChange({ emergencyPhone: e.target.value })}
        />
        <SelectField
          label={t("volunteer.emergencyRelationship")}
          value={draft.emergencyRelationship}
          placeholder={t("volunteer.choose")}
          error={error("emergencyRelationship")}
          options={choices("relationship", options.emergencyRelationships)}
          onChange={(e) => onChange({ emergencyRelationship: e.target.value })}
        />
      </fieldset>
      <Switch
        label={t("volunteer.leaderboard")}
        hint={t("volunteer.leaderboardHint")}
        checked={draft.onLeaderboard}
        onChange={(onLeaderboard) => onChange({ onLeaderboard })}
      />
    </>
  );
}
