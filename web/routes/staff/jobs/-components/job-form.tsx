import { useSuspenseQuery } from "@tanstack/react-query";
import { SelectField, TextAreaField, TextField } from "../../../../components/fields";
import { type Locale, useT } from "../../../../lib/i18n";
import { JOB_CATEGORIES, JOB_MAX_DAYS, JOB_TYPES, type Job, SALARY_PERIODS } from "../../../../lib/jobs";
import { usePreferences } from "../../../../lib/preferences";
import { communitiesQuery } from "../../../../lib/queries";

/** The posting's fields as typed (strings; amounts in yuan). */
export interface JobForm {
  employer: string;
  position: string;
  category: string;
  employmentType: string;
  openings: string;
  communityId: string;
  location: string;
  salaryMin: string;
  salaryMax: string;
  salaryPeriod: string;
  requirements: string;
  description: string;
  contactName: string;
  contactPhone: string;
  validUntil: string;
}

export function emptyJobForm(validUntil: string): JobForm {
  return {
    employer: "",
    position: "",
    category: "",
    employmentType: "full_time",
    openings: "",
    communityId: "",
    location: "",
    salaryMin: "",
    salaryMax: "",
    salaryPeriod: "month",
    requirements: "",
    description: "",
    contactName: "",
    contactPhone: "",
    validUntil,
  };
}

const fenToYuan = (fen: number | null) => (fen === null ? "" : String(fen / 100));

export function jobFormOf(job: Job): JobForm {
  return {
    employer: job.employer,
    position: job.position,
    category: job.category,
    employmentType: job.employmentType,
    openings: job.openings === null ? "" : String(job.openings),
    communityId: job.communityId ?? "",
    location: job.location,
    salaryMin: fenToYuan(job.salaryMinFen),
    salaryMax: fenToYuan(job.salaryMaxFen),
    salaryPeriod: job.salaryPeriod ?? "month",
    requirements: job.requirements,
    description: job.description,
    contactName: job.contactName,
    contactPhone: job.contactPhone ?? "",
    validUntil: job.validUntil,
  };
}

/** A typed amount in yuan as fen; "" is none, anything not a number is left for zod to refuse. */
function yuanToFen(text: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? Math.round(value * 100) : trimmed;
}

/** The API's fields for what was typed (zod checks them, here and on the server). */
export function jobInput(form: JobForm) {
  const salaryMinFen = yuanToFen(form.salaryMin);
  const salaryMaxFen = yuanToFen(form.salaryMax);
  const noSalary = salaryMinFen === null && salaryMaxFen === null;
  return {
    employer: form.employer,
    position: form.position,
    category: form.category,
    employmentType: form.employmentType,
    openings: form.openings.trim() === "" ? null : Number(form.openings),
    communityId: form.communityId || null,
    location: form.location,
    salaryMinFen,
    salaryMaxFen,
    salaryPeriod: noSalary ? null : form.salaryPeriod || null,
    requirements: form.requirements,
    description: form.description,
    contactName: form.contactName,
    contactPhone: form.contactPhone,
    validUntil: form.validUntil,
  };
}

export function JobFields({
  form,
  set,
  errors,
  maxDate,
}: {
  form: JobForm;
  set: <K extends keyof JobForm>(field: K, value: JobForm[K]) => void;
  errors: Record<string, string>;
  /** The last day a posting may be shown from today (`JOB_MAX_DAYS` on). */
  maxDate: string;
}) {
  const t = useT();
  const { locale } = usePreferences();
  const invalid = (key: string) => (errors[key] ? t("staffJobs.fieldInvalid") : undefined);
  const salaryError =
    errors.salaryMinFen || errors.salaryMaxFen || errors.salaryPeriod ? t("staffJobs.salaryInvalid") : undefined;
  return (
    <>
      <TextField
        label={t("staffJobs.position")}
        value={form.position}
        maxLength={40}
        error={invalid("position")}
        onChange={(e) => set("position", e.target.value)}
      />
      <TextField
        label={t("staffJobs.employer")}
        hint={t("staffJobs.employerHint")}
        value={form.employer}
        maxLength={60}
        error={invalid("employer")}
        onChange={(e) => set("employer", e.target.value)}
      />
      <SelectField
        label={t("jobs.category")}
        value={form.category}
        placeholder={t("staffJobs.chooseCategory")}
        error={invalid("category")}
        options={JOB_CATEGORIES.map((c) => ({ value: c, label: t(`jobCategory.${c}`) }))}
        onChange={(e) => set("category", e.target.value)}
      />
      <SelectField
        label={t("jobs.type")}
        value={form.employmentType}
        error={invalid("employmentType")}
        options={JOB_TYPES.map((c) => ({ value: c, label: t(`jobType.${c}`) }))}
        onChange={(e) => set("employmentType", e.target.value)}
      />
      <TextField
        label={t("staffJobs.openings")}
        optional
        inputMode="numeric"
        value={form.openings}
        error={invalid("openings")}
        onChange={(e) => set("openings", e.target.value)}
      />
      <TextField
        label={t("staffJobs.location")}
        value={form.location}
        maxLength={100}
        error={invalid("location")}
        onChange={(e) => set("location", e.target.value)}
      />
      <CommunitySelect value={form.communityId} onChange={(v) => set("communityId", v)} locale={locale} />
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t("jobs.salary")}</legend>
        <p className="field__hint">{t("staffJobs.salaryHint")}</p>
        <div className="field-pair">
          <TextField
            label={t("staffJobs.salaryMin")}
            inputMode="decimal"
            value={form.salaryMin}
            error={errors.salaryMinFen ? salaryError : undefined}
            onChange={(e) => set("salaryMin", e.target.value)}
          />
          <TextField
            label={t("staffJobs.salaryMax")}
            inputMode="decimal"
            value={form.salaryMax}
            error={errors.salaryMaxFen ? salaryError : undefined}
            onChange={(e) => set("salaryMax", e.target.value)}
          />
        </div>
        <SelectField
          label={t("staffJobs.salaryPeriod")}
          value={form.salaryPeriod}
          error={errors.salaryPeriod ? salaryError : undefined}
          options={SALARY_PERIODS.map((p) => ({ value: p, label: t(`jobs.period.${p}`) }))}
          onChange={(e) => set("salaryPeriod", e.target.value)}
        />
      </fieldset>
      <TextAreaField
        label={t("jobs.description")}
        optional
        rows={4}
        maxLength={2000}
        value={form.description}
        error={invalid("description")}
        onChange={(e) => set("description", e.target.value)}
      />
      <TextAreaField
        label={t("jobs.requirements")}
        optional
        rows={3}
        maxLength={1000}
        value={form.requirements}
        error={invalid("requirements")}
        onChange={(e) => set("requirements", e.target.value)}
      />
      <TextField
        label={t("staffJobs.contactName")}
        value={form.contactName}
        maxLength={20}
        error={invalid("contactName")}
        onChange={(e) => set("contactName", e.target.value)}
      />
      <TextField
        label={t("staffJobs.contactPhone")}
        hint={t("staffJobs.contactPhoneHint")}
        type="tel"
        value={form.contactPhone}
        error={invalid("contactPhone")}
        onChange={(e) => set("contactPhone", e.target.value)}
      />
      <TextField
        label={t("staffJobs.validUntil")}
        hint={t("staffJobs.validUntilHint", { days: JOB_MAX_DAYS })}
        type="date"
        value={form.validUntil}
        max={maxDate}
        error={errors.validUntil ? t("staffJobs.validUntilInvalid", { days: JOB_MAX_DAYS }) : undefined}
        onChange={(e) => set("validUntil", e.target.value)}
      />
    </>
  );
}

function CommunitySelect({
  value,
  onChange,
  locale,
}: {
  value: string;
  onChange: (v: string) => void;
  locale: Locale;
}) {
  const t = useT();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  return (
    <SelectField
      label={t("staffJobs.community")}
      value={value}
      placeholder={t("staffJobs.noCommunity")}
      options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
