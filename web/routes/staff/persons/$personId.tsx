import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import {
  type Person,
  PersonPatch,
  PROXY_SCOPE_VALUES,
  type ProxyLink,
  ProxyLinkCreate,
  RELATIONSHIP_VALUES,
  STAFF_CONSENT_METHODS,
} from "../../../../worker/features/persons/persons.schema";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { focusFirstInvalid, RadioGroup, SelectField, TextAreaField, TextField } from "../../../components/fields";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { formatDate, type MessageKey, useT } from "../../../lib/i18n";
import { usePersonTypeName } from "../../../lib/person-types";
import { usePreferences } from "../../../lib/preferences";
import { compoundsQuery, personLinksQuery, personQuery, personTypesQuery } from "../../../lib/queries";
import { managedCommunities } from "../../../lib/roles";
import { useCommunityChoices } from "../-components/community-choices";
import {
  blankPerson,
  checkPerson,
  type PersonDraft,
  type PersonErrors,
  PersonFields,
  PersonTypesField,
} from "../-components/person-fields";

export const Route = createFileRoute("/staff/persons/$personId")({
  // Staff opening a resident's record is audited: load it when they open it, never on a hover.
  preload: false,
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([
      queryClient.ensureQueryData(personQuery(params.personId)),
      queryClient.ensureQueryData(personLinksQuery(params.personId)),
      queryClient.ensureQueryData(personTypesQuery),
    ]),
  component: PersonPage,
});

function PersonPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { personId } = Route.useParams();
  const { data: person } = useSuspenseQuery(personQuery(personId));
  const { data: links } = useSuspenseQuery(personLinksQuery(personId));
  const community = useCommunityChoices().find((c) => c.id === person.communityId);
  const { me } = Route.useRouteContext();
  const personTypeName = usePersonTypeName();
  const mine = managedCommunities(me);
  // The API decides again on every change; this only spares staff a form they cannot send.
  const manages = mine === null || mine.some((c) => c.id === person.communityId);

  return (
    <>
      <PageHeading title={person.name || t("person.unnamed")} />
      <section className="section" aria-labelledby="details-title">
        <h2 id="details-title">{t("persons.details")}</h2>
        <div className="card">
          <dl className="details">
            <dt>{t("persons.gender")}</dt>
            <dd>{t(`gender.${person.gender}`)}</dd>
            <dt>{t("persons.birthDate")}</dt>
            <dd>{person.birthDate ? formatDate(locale, person.birthDate) : t("common.notSet")}</dd>
            <dt>{t("me.community")}</dt>
            <dd>{community?.name ?? t("common.notSet")}</dd>
            <dt>{t("persons.address")}</dt>
            <dd>{person.address ?? t("common.notSet")}</dd>
            <dt>{t("persons.phone")}</dt>
            <dd>{person.phoneMasked ?? t("common.notSet")}</dd>
            <dt>{t("persons.idNumber")}</dt>
            <dd>{person.idMasked ?? t("common.notSet")}</dd>
            <dt>{t("persons.managed")}</dt>
            <dd>{person.managed ? t("common.yes") : t("common.no")}</dd>
            <dt>{t("persons.types")}</dt>
            <dd>
              {person.types.length
                ? person.types.map(personTypeName).join(t("list.separator"))
                : t("persons.typesNone")}
            </dd>
          </dl>
        </div>
      </section>
      {manages ? <EditPerson person={person} /> : <p className="notice notice--info">{t("persons.readOnly")}</p>}
      <section className="section" aria-labelledby="links-title">
        <h2 id="links-title">{t("persons.links")}</h2>
        {links.length === 0 ? (
          <p className="muted">{t("persons.linksEmpty")}</p>
        ) : (
          <ul className="list">
            {links.map((l) => (
              <LinkItem key={l.id} link={l} personId={personId} />
            ))}
          </ul>
        )}
      </section>
      <LinkForm personId={personId} />
    </>
  );
}

function LinkItem({ link, personId }: { link: ProxyLink; personId: string }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => unwrap(api["proxy-links"][":id"].revoke.$post({ param: { id: link.id }, query: {}, json: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: personLinksQuery(personId).queryKey }),
  });
  const who = link.proxyName || link.proxyPhoneMasked || t("me.someone");
  const live = link.status === "active" || link.status === "pending";
  return (
    <li className="list__item">
      <span className="list__title">{who}</span>
      <span>
        {t("me.linkSummary", {
          relationship: t(`relationship.${link.relationship}`),
          scope: t(`scope.${link.scope}`),
        })}
      </span>
      <div className="row">
        <span className={live ? "badge" : "badge badge--muted"}>{t(`status.${link.status}`)}</span>
        {link.proxyName && link.proxyPhoneMasked ? <span className="muted small">{link.proxyPhoneMasked}</span> : null}
      </div>
      {link.consentMethod && link.consentRecordedAt ? (
        <span className="muted small">
          {t("me.consentRecorded", {
            method: t(`consent.${link.consentMethod}`),
            date: formatDate(locale, link.consentRecordedAt, true),
          })}
        </span>
      ) : null}
      {link.consentNote ? <span className="muted small">{link.consentNote}</span> : null}
      {live ? (
        <div>
          <ConfirmAction
            label={t("me.end")}
            question={t("me.endConfirm", { name: who })}
            confirmLabel={t("me.endYes")}
            busy={revoke.isPending}
            onConfirm={() => revoke.mutate()}
          />
        </div>
      ) : null}
      <ErrorNotice error={revoke.error} />
    </li>
  );
}

function LinkForm({ personId }: { personId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [proxyPhone, setProxyPhone] = useState("");
  const [relationship, setRelationship] = useState<string>("child");
  const [scope, setScope] = useState<string>("all");
  const [consentMethod, setConsentMethod] = useState<string>("in_person");
  const [consentNote, setConsentNote] = useState("");
  const [invalid, setInvalid] = useState<Set<string>>(new Set());

  const link = useMutation({
    mutationFn: (input: ProxyLinkCreate) =>
      unwrap(api.persons[":id"]["proxy-links"].$post({ param: { id: personId }, query: {}, json: input })),
    onSuccess: () => {
      setProxyPhone("");
      setConsentNote("");
      return queryClient.invalidateQueries({ queryKey: personLinksQuery(personId).queryKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = ProxyLinkCreate.safeParse({
      proxyPhone,
      relationship,
      scope,
      consentMethod,
      ...(consentNote.trim() ? { consentNote } : {}),
    });
    setInvalid(new Set((parsed.error?.issues ?? []).map((i) => String(i.path[0]))));
    if (parsed.success) link.mutate(parsed.data);
  }

  return (
    <section className="section" aria-labelledby="link-form-title">
      <h2 id="link-form-title">{t("link.new")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p className="muted">{t("link.intro")}</p>
        <TextField
          label={t("link.proxyPhone")}
          type="tel"
          inputMode="numeric"
          autoComplete="off"
          maxLength={11}
          value={proxyPhone}
          error={invalid.has("proxyPhone") ? t("invalid.phone") : undefined}
          onChange={(e) => {
            setProxyPhone(e.target.value.replace(/\D/g, ""));
            link.reset();
          }}
        />
        <SelectField
          label={t("link.relationship")}
          value={relationship}
          options={RELATIONSHIP_VALUES.map((r) => ({ value: r, label: t(`relationship.${r}`) }))}
          onChange={(e) => setRelationship(e.target.value)}
        />
        <RadioGroup
          legend={t("me.scope")}
          name="link-scope"
          value={scope}
          onChange={setScope}
          options={PROXY_SCOPE_VALUES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
        />
        <RadioGroup
          legend={t("link.consentMethod")}
          name="consent-method"
          value={consentMethod}
          onChange={setConsentMethod}
          options={STAFF_CONSENT_METHODS.map((m) => ({ value: m, label: t(`consent.${m}`) }))}
        />
        <TextAreaField
          label={t("link.consentNote")}
          optional
          hint={t("link.consentNoteHint")}
          maxLength={500}
          value={consentNote}
          error={invalid.has("consentNote") ? t("invalid.tooLong") : undefined}
          onChange={(e) => setConsentNote(e.target.value)}
        />
        <ErrorNotice error={link.error} />
        {link.isSuccess ? <SuccessNotice>{t("link.created")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={link.isPending}>
          {t("link.submit")}
        </button>
      </form>
    </section>
  );
}

/** How a refused change reads on this form. */
const EDIT_ERRORS: Partial<Record<string, MessageKey>> = {
  NOT_FOUND: "persons.editNotFound",
  FORBIDDEN: "persons.editForbidden",
  CONFLICT: "persons.editConflict",
};

function formOf(person: Person): PersonDraft {
  return blankPerson({
    name: person.name,
    birthDate: person.birthDate ?? "",
    gender: person.gender,
    compoundId: person.compoundId ?? "",
    address: person.address ?? "",
    types: person.types,
  });
}

/** Only the fields staff changed; an emptied optional field is cleared (null). */
function changesOf(person: Person, form: PersonDraft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (form.name.trim() !== person.name) changes.name = form.name;
  if (form.birthDate !== (person.birthDate ?? "")) changes.birthDate = form.birthDate;
  if (form.gender !== person.gender) changes.gender = form.gender;
  if (form.compoundId !== (person.compoundId ?? "")) changes.compoundId = form.compoundId || null;
  if (form.address.trim() !== (person.address ?? "")) changes.address = form.address.trim() || null;
  if (form.phone !== "") changes.phone = form.phone;
  const sameTypes =
    form.types.length === person.types.length && form.types.every((c) => person.types.some((p) => p === c));
  if (!sameTypes) changes.types = form.types;
  return changes;
}

function EditPerson({ person }: { person: Person }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => formOf(person));
  const [errors, setErrors] = useState<PersonErrors>({});
  const [unchanged, setUnchanged] = useState(false);
  const compounds = useQuery({ ...compoundsQuery(person.communityId ?? ""), enabled: person.communityId !== null });

  const save = useMutation({
    mutationFn: (patch: PersonPatch) =>
      unwrap(api.persons[":id"].$patch({ param: { id: person.id }, query: {}, json: patch })),
    onSuccess: async (updated) => {
      queryClient.setQueryData(personQuery(person.id).queryKey, updated);
      setForm(formOf(updated));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["staff", "persons"] }),
        queryClient.invalidateQueries({ queryKey: ["me"] }),
      ]);
    },
  });

  function set<K extends keyof PersonDraft>(field: K, value: PersonDraft[K]) {
    setForm((f) => ({ ...f, [field]: value }));
    setUnchanged(false);
    save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes = changesOf(person, form);
    if (Object.keys(changes).length === 0) {
      setErrors({});
      setUnchanged(true);
      return;
    }
    const { data, errors: found } = checkPerson(PersonPatch, changes);
    setErrors(found);
    focusFirstInvalid(event.currentTarget);
    if (data) save.mutate(data);
  }

  return (
    <section className="section" aria-labelledby="edit-person-title">
      <h2 id="edit-person-title">{t("persons.edit")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p className="muted">{t("persons.editIntro")}</p>
        <PersonFields
          fields={[
            "name",
            // With an ID number on record, the birth date is the ID's (shown above, not editable).
            ...(person.idMasked ? [] : ["birthDate" as const]),
            "gender",
            "compoundId",
            "address",
            ...(person.managed ? ["phone" as const] : []),
          ]}
          draft={form}
          errors={errors}
          onChange={set}
          genderName="edit-gender"
          compounds={compounds.data ?? []}
          compoundsDisabled={person.communityId === null}
          phoneHint={t("persons.phoneKeep", { masked: person.phoneMasked ?? t("common.notSet") })}
        />
        {person.managed ? null : <p className="muted small">{t("persons.phoneOwnAccount")}</p>}
        {person.idMasked ? <p className="muted small">{t("persons.birthDateFromId")}</p> : null}
        <PersonTypesField value={form.types} onChange={(codes) => set("types", codes)} />
        <ErrorNotice error={save.error ?? compounds.error} messages={EDIT_ERRORS} />
        {save.isSuccess ? <SuccessNotice>{t("persons.saved")}</SuccessNotice> : null}
        {unchanged ? <SuccessNotice>{t("persons.noChanges")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={save.isPending}>
          {save.isPending ? t("common.saving") : t("persons.save")}
        </button>
      </form>
    </section>
  );
}
