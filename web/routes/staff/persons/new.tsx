import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { PersonCreate } from "../../../../worker/features/persons/persons.schema";
import { ErrorNotice } from "../../../components/error-notice";
import { focusFirstInvalid } from "../../../components/fields";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { useT } from "../../../lib/i18n";
import { compoundsQuery, personTypesQuery } from "../../../lib/queries";
import { managedCommunities } from "../../../lib/roles";
import { useCommunityChoices } from "../-components/community-choices";
import {
  blankPerson,
  checkPerson,
  creationOf,
  type PersonDraft,
  type PersonErrors,
  PersonFields,
  PersonTypesField,
} from "../-components/person-fields";

export const Route = createFileRoute("/staff/persons/new")({
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(personTypesQuery),
  component: NewPersonPage,
});

function NewPersonPage() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { me } = Route.useRouteContext();
  const communities = useCommunityChoices();
  const [form, setForm] = useState(() =>
    blankPerson({ communityId: communities.length === 1 ? (communities[0]?.id ?? "") : "" }),
  );
  const [errors, setErrors] = useState<PersonErrors>({});
  const compounds = useQuery({ ...compoundsQuery(form.communityId), enabled: form.communityId !== "" });
  const mine = managedCommunities(me);
  // Only staff of the person's community record person types; the API decides again.
  const recordsTypes = mine === null || mine.some((c) => c.id === form.communityId);

  function set<K extends keyof PersonDraft>(field: K, value: PersonDraft[K]) {
    setForm((f) => ({ ...f, [field]: value, ...(field === "communityId" ? { compoundId: "" } : {}) }));
  }

  const create = useMutation({
    mutationFn: (input: PersonCreate) => unwrap(api.persons.$post({ query: {}, json: input })),
    onSuccess: async (person) => {
      await queryClient.invalidateQueries({ queryKey: ["staff", "persons"] });
      await navigate({ to: "/staff/persons/$personId", params: { personId: person.id } });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = creationOf({ ...form, types: recordsTypes ? form.types : [] });
    const { data, errors: found } = checkPerson(PersonCreate, input);
    setErrors(found);
    focusFirstInvalid(event.currentTarget);
    if (data) create.mutate(data);
  }

  return (
    <>
      <PageHeading title={t("persons.new")} lead={t("persons.newIntro")} />
      <form className="card form" onSubmit={submit} noValidate>
        <PersonFields
          fields={["name", "birthDate", "gender", "communityId", "compoundId", "address", "phone", "idNumber", "notes"]}
          draft={form}
          errors={errors}
          onChange={set}
          genderName="gender"
          communities={communities}
          compounds={compounds.data ?? []}
          compoundsDisabled={form.communityId === ""}
        />
        {recordsTypes ? <PersonTypesField value={form.types} onChange={(codes) => set("types", codes)} /> : null}
        <ErrorNotice error={create.error ?? compounds.error} />
        <button type="submit" className="button button--block" disabled={create.isPending}>
          {t("persons.register")}
        </button>
      </form>
    </>
  );
}
