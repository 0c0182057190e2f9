import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { GENDER_VALUES, PersonCreate } from "../../../../worker/features/persons/persons.schema";
import { ErrorNotice } from "../../../components/error-notice";
import { RadioGroup, SelectField, TextAreaField, TextField } from "../../../components/fields";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { type MessageKey, useT } from "../../../lib/i18n";
import { compoundsQuery } from "../../../lib/queries";
import { useCommunityChoices } from "../-components/community-choices";

export const Route = createFileRoute("/staff/persons/new")({
  component: NewPersonPage,
});

/** The message shown under each field the schema rejects. */
const FIELD_ERRORS: Partial<Record<keyof PersonCreate, MessageKey>> = {
  name: "invalid.name",
  birthDate: "invalid.birthDate",
  communityId: "invalid.community",
  phone: "invalid.phone",
  idNumber: "invalid.idNumber",
  address: "invalid.tooLong",
  notes: "invalid.tooLong",
};

function NewPersonPage() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const communities = useCommunityChoices();
  const [form, setForm] = useState({
    name: "",
    birthDate: "",
    gender: "unspecified",
    communityId: communities.length === 1 ? (communities[0]?.id ?? "") : "",
    compoundId: "",
    address: "",
    phone: "",
    idNumber: "",
    notes: "",
  });
  const [errors, setErrors] = useState<Partial<Record<keyof PersonCreate, MessageKey>>>({});
  const compounds = useQuery({ ...compoundsQuery(form.communityId), enabled: form.communityId !== "" });

  const set = (field: keyof typeof form) => (value: string) =>
    setForm((f) => ({ ...f, [field]: value, ...(field === "communityId" ? { compoundId: "" } : {}) }));

  const create = useMutation({
    mutationFn: (input: PersonCreate) => unwrap(api.persons.$post({ query: {}, json: input })),
    onSuccess: async (person) => {
      await queryClient.invalidateQueries({ queryKey: ["staff", "persons"] });
      await navigate({ to: "/staff/persons/$personId", params: { personId: person.id } });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    // Empty optional fields are left out rather than sent as "".
    const input = Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== ""));
    const parsed = PersonCreate.safeParse(input);
    const found: typeof errors = {};
    for (const issue of parsed.error?.issues ?? []) {
      const field = issue.path[0] as keyof PersonCreate;
      found[field] = FIELD_ERRORS[field] ?? "error.code.VALIDATION_FAILED";
    }
    setErrors(found);
    if (parsed.success) create.mutate(parsed.data);
  }

  const error = (field: keyof PersonCreate) => (errors[field] ? t(errors[field]) : undefined);

  return (
    <>
      <PageHeading title={t("persons.new")} lead={t("persons.newIntro")} />
      <form className="card form" onSubmit={submit} noValidate>
        <TextField
          label={t("persons.name")}
          autoComplete="off"
          maxLength={50}
          value={form.name}
          error={error("name")}
          onChange={(e) => set("name")(e.target.value)}
        />
        <TextField
          label={t("persons.birthDate")}
          type="date"
          value={form.birthDate}
          error={error("birthDate")}
          onChange={(e) => set("birthDate")(e.target.value)}
        />
        <RadioGroup
          legend={t("persons.gender")}
          name="gender"
          inline
          value={form.gender}
          onChange={set("gender")}
          options={GENDER_VALUES.map((g) => ({ value: g, label: t(`gender.${g}`) }))}
        />
        <SelectField
          label={t("me.community")}
          value={form.communityId}
          placeholder={t("me.chooseCommunity")}
          error={error("communityId")}
          options={communities.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(e) => set("communityId")(e.target.value)}
        />
        <SelectField
          label={t("me.compound")}
          optional
          value={form.compoundId}
          disabled={form.communityId === ""}
          placeholder={t("me.chooseCompound")}
          options={(compounds.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={(e) => set("compoundId")(e.target.value)}
        />
        <TextField
          label={t("persons.address")}
          optional
          maxLength={200}
          value={form.address}
          error={error("address")}
          onChange={(e) => set("address")(e.target.value)}
        />
        <TextField
          label={t("persons.phone")}
          optional
          type="tel"
          inputMode="numeric"
          maxLength={11}
          value={form.phone}
          error={error("phone")}
          onChange={(e) => set("phone")(e.target.value.replace(/\D/g, ""))}
        />
        <TextField
          label={t("persons.idNumber")}
          optional
          hint={t("persons.idHint")}
          autoComplete="off"
          maxLength={18}
          value={form.idNumber}
          error={error("idNumber")}
          onChange={(e) => set("idNumber")(e.target.value.toUpperCase())}
        />
        <TextAreaField
          label={t("persons.notes")}
          optional
          maxLength={500}
          value={form.notes}
          error={error("notes")}
          onChange={(e) => set("notes")(e.target.value)}
        />
        <ErrorNotice error={create.error ?? compounds.error} />
        <button type="submit" className="button button--block" disabled={create.isPending}>
          {t("persons.register")}
        </button>
      </form>
    </>
  );
}
