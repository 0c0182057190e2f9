import type { ReactNode } from "react";
import type { z } from "zod";
import { GENDER_VALUES } from "../../../../worker/features/persons/persons.schema";
import { RadioGroup, SelectField, TextAreaField, TextField } from "../../../components/fields";
import { PersonTypeChoices } from "../../../components/person-type-choices";
import { hasMessage, type MessageKey, useT } from "../../../lib/i18n";

/** A person as staff fill in the forms: every field as its control holds it. */
export interface PersonDraft {
  name: string;
  birthDate: string;
  gender: string;
  communityId: string;
  compoundId: string;
  address: string;
  phone: string;
  idNumber: string;
  notes: string;
  types: string[];
}

/** The fields `PersonFields` draws (the types have their own `PersonTypesField`). */
export type PersonFieldName = Exclude<keyof PersonDraft, "types">;

export type PersonErrors = Partial<Record<keyof PersonDraft, MessageKey>>;

/** The message shown under each field the schema rejects; any other reads as a generic refusal. */
const FIELD_ERRORS: PersonErrors = {
  name: "invalid.name",
  birthDate: "invalid.birthDate",
  communityId: "invalid.community",
  phone: "invalid.phone",
  idNumber: "invalid.idNumber",
  address: "invalid.tooLong",
  notes: "invalid.tooLong",
};

/** An empty draft, with the given fields already filled in. */
export function blankPerson(filled: Partial<PersonDraft> = {}): PersonDraft {
  return {
    name: "",
    birthDate: "",
    gender: "unspecified",
    communityId: "",
    compoundId: "",
    address: "",
    phone: "",
    idNumber: "",
    notes: "",
    types: [],
    ...filled,
  };
}

/** A new person's draft as `PersonCreate` takes it: empty fields are left out rather than sent as "" or []. */
export function creationOf(draft: PersonDraft): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(draft).filter(([, v]) => (typeof v === "string" ? v.trim() !== "" : v.length > 0)),
  );
}

/**
 * Checks a form's input against the shared schema, naming the message for each rejected field.
 * @example
 * const { data, errors } = checkPerson(PersonCreate, creationOf(form));
 * setErrors(errors);
 * if (data) create.mutate(data);
 */
export function checkPerson<T>(schema: z.ZodType<T>, input: unknown): { data: T | undefined; errors: PersonErrors } {
  const parsed = schema.safeParse(input);
  const errors: PersonErrors = {};
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path[0] as keyof PersonDraft;
    // A rule across fields names its own message (e.g. a birth date the ID number contradicts).
    const own = issue.code === "custom" ? (issue.params as { messageKey?: string } | undefined)?.messageKey : undefined;
    // The first problem found with a field is the one it shows.
    errors[field] ??= own && hasMessage(own) ? own : (FIELD_ERRORS[field] ?? "error.code.VALIDATION_FAILED");
  }
  return { data: parsed.data, errors };
}

interface Choice {
  id: string;
  name: string;
}

/**
 * The fields of a person shared by registering a resident, registering a walk-in and editing a
 * person, drawn in the order `fields` names them.
 */
export function PersonFields({
  fields,
  draft,
  errors,
  onChange,
  genderName,
  communities = [],
  compounds = [],
  compoundsDisabled = false,
  phoneHint,
}: {
  fields: readonly PersonFieldName[];
  draft: PersonDraft;
  errors: PersonErrors;
  onChange: (field: PersonFieldName, value: string) => void;
  /** The gender radios' `name`, unique on the page. */
  genderName: string;
  /** Choices for `communityId`. */
  communities?: readonly Choice[];
  /** Choices for `compoundId` (those of the chosen community). */
  compounds?: readonly Choice[];
  compoundsDisabled?: boolean;
  phoneHint?: ReactNode;
}) {
  const t = useT();
  const error = (field: PersonFieldName) => (errors[field] ? t(errors[field]) : undefined);
  const options = (choices: readonly Choice[]) => choices.map((c) => ({ value: c.id, label: c.name }));

  function field(name: PersonFieldName) {
    switch (name) {
      case "name":
        return (
          <TextField
            key={name}
            label={t("persons.name")}
            autoComplete="off"
            maxLength={50}
            value={draft.name}
            error={error(name)}
            onChange={(e) => onChange(name, e.target.value)}
          />
        );
      case "birthDate":
        return (
          <TextField
            key={name}
            label={t("persons.birthDate")}
            type="date"
            value={draft.birthDate}
            error={error(name)}
            onChange={(e) => onChange(name, e.target.value)}
          />
        );
      case "gender":
        return (
          <RadioGroup
            key={name}
            legend={t("persons.gender")}
            name={genderName}
            inline
            value={draft.gender}
            onChange={(value) => onChange(name, value)}
            options={GENDER_VALUES.map((g) => ({ value: g, label: t(`gender.${g}`) }))}
          />
        );
      case "communityId":
        return (
          <SelectField
            key={name}
            label={t("me.community")}
            value={draft.communityId}
            placeholder={t("me.chooseCommunity")}
            error={error(name)}
            options={options(communities)}
            onChange={(e) => onChange(name, e.target.value)}
          />
        );
      case "compoundId":
        return (
          <SelectField
            key={name}
            label={t("me.compound")}
            optional
            value={draft.compoundId}
            disabled={compoundsDisabled}
            placeholder={t("me.chooseCompound")}
            options={options(compounds)}
            onChange={(e) => onChange(name, e.target.value)}
          />
        );
      case "address":
        return (
          <TextField
            key={name}
            label={t("persons.address")}
            optional
            maxLength={200}
            value={draft.address}
            error={error(name)}
            onChange={(e) => onChange(name, e.target.value)}
          />
        );
      case "phone":
        return (
          <TextField
            key={name}
            label={t("persons.phone")}
            optional
            hint={phoneHint}
            type="tel"
            inputMode="numeric"
            autoComplete="off"
            maxLength={11}
            value={draft.phone}
            error={error(name)}
            onChange={(e) => onChange(name, e.target.value.replace(/\D/g, ""))}
          />
        );
      case "idNumber":
        return (
          <TextField
            key={name}
            label={t("persons.idNumber")}
            optional
            hint={t("persons.idHint")}
            autoComplete="off"
            maxLength={18}
            value={draft.idNumber}
            error={error(name)}
            onChange={(e) => onChange(name, e.target.value.toUpperCase())}
          />
        );
      case "notes":
        return (
          <TextAreaField
            key={name}
            label={t("persons.notes")}
            optional
            maxLength={500}
            value={draft.notes}
            error={error(name)}
            onChange={(e) => onChange(name, e.target.value)}
          />
        );
    }
  }

  return <>{fields.map((name) => field(name))}</>;
}

/**
 * The person types a community records about a person. Only for staff who manage the person's
 * community (the API refuses anyone else); the route loads `personTypesQuery`.
 */
export function PersonTypesField({
  value,
  onChange,
}: {
  value: readonly string[];
  onChange: (codes: string[]) => void;
}) {
  const t = useT();
  return (
    <PersonTypeChoices legend={t("persons.types")} hint={t("persons.typesHint")} value={value} onChange={onChange} />
  );
}
