import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { OfferingPatch } from "../../../../../worker/features/bookings/bookings.schema";
import { ConfirmAction } from "../../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../../components/error-notice";
import { Switch, TextAreaField, TextField } from "../../../../components/fields";
import { PersonTypeChoices } from "../../../../components/person-type-choices";
import { api, unwrap } from "../../../../lib/api";
import type { Offering } from "../../../../lib/bookings";
import { type MessageKey, useT } from "../../../../lib/i18n";
import { offeringQuery, slotsKeyOf } from "../../../../lib/queries";

/** How a refused change reads on these forms. */
const OFFERING_ERRORS: Partial<Record<string, MessageKey>> = {
  NOT_FOUND: "editOffering.notFound",
  CONFLICT: "editOffering.archivedConflict",
};

const NUMBER_FIELDS = [
  "minAge",
  "priorityAge",
  "priorityDays",
  "opensDaysBefore",
  "closesHoursBefore",
  "cancelCutoffHours",
  "maxActivePerPerson",
] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
/** Number fields that may be left empty (no rule). */
const OPTIONAL_NUMBERS: readonly NumberField[] = ["minAge", "priorityAge"];

interface OfferingForm extends Record<NumberField, string> {
  title: string;
  description: string;
  price: string;
  subsidyNote: string;
  personTypes: string[];
  waitlist: boolean;
  requiresConfirmation: boolean;
  requiresAddress: boolean;
}

function formOf(offering: Offering): OfferingForm {
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, offering[f] === null ? "" : String(offering[f])]));
  return {
    ...(numbers as Record<NumberField, string>),
    title: offering.title,
    description: offering.description,
    price: offering.priceFen % 100 === 0 ? String(offering.priceFen / 100) : (offering.priceFen / 100).toFixed(2),
    subsidyNote: offering.subsidyNote ?? "",
    personTypes: offering.personTypes ?? [],
    waitlist: offering.waitlist,
    requiresConfirmation: offering.requiresConfirmation,
    requiresAddress: offering.requiresAddress,
  };
}

/** "12" or "12.50" yuan in fen; NaN when it is not an amount. */
function toFen(price: string): number {
  return /^\d+(\.\d{1,2})?$/.test(price.trim()) ? Math.round(Number(price.trim()) * 100) : Number.NaN;
}

/** A number field's value: null when an optional one is empty, NaN when it is not a whole number. */
function toNumber(field: NumberField, value: string): number | null {
  if (value.trim() === "") return OPTIONAL_NUMBERS.includes(field) ? null : Number.NaN;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

/** Only the fields staff changed, in the API's shape. */
function changesOf(offering: Offering, form: OfferingForm): Record<string, unknown> {
  const next: Record<string, unknown> = {
    title: form.title.trim(),
    description: form.description.trim(),
    priceFen: toFen(form.price),
    subsidyNote: form.subsidyNote.trim() || null,
    personTypes: form.personTypes.length ? form.personTypes : null,
    waitlist: form.waitlist,
    requiresConfirmation: form.requiresConfirmation,
    requiresAddress: form.requiresAddress,
    ...Object.fromEntries(NUMBER_FIELDS.map((f) => [f, toNumber(f, form[f])])),
  };
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => !same(value, offering[key as keyof Offering])),
  );
}

function useRefreshOffering(offeringId: string) {
  const queryClient = useQueryClient();
  return async (updated: Offering) => {
    queryClient.setQueryData(offeringQuery(offeringId).queryKey, updated);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: slotsKeyOf(offeringId) }),
      queryClient.invalidateQueries({ queryKey: ["staff", "offerings"] }),
      queryClient.invalidateQueries({ queryKey: ["offerings", "care"] }),
    ]);
  };
}

/** Staff change an offering's details and rules (not its organisation or kind). */
export function EditOffering({ offering }: { offering: Offering }) {
  const t = useT();
  const refresh = useRefreshOffering(offering.id);
  const [form, setForm] = useState(() => formOf(offering));
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const [unchanged, setUnchanged] = useState(false);
  const save = useMutation({
    mutationFn: (patch: OfferingPatch) =>
      unwrap(api.offerings[":id"].$patch({ param: { id: offering.id }, query: {}, json: patch })),
    onSuccess: async (updated) => {
      setForm(formOf(updated));
      await refresh(updated);
    },
  });

  function set<K extends keyof OfferingForm>(field: K, value: OfferingForm[K]) {
    setForm((f) => ({ ...f, [field]: value }));
    setUnchanged(false);
    save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes = changesOf(offering, form);
    if (Object.keys(changes).length === 0) {
      setInvalid(new Set());
      setUnchanged(true);
      return;
    }
    const parsed = OfferingPatch.safeParse(changes);
    setInvalid(new Set((parsed.error?.issues ?? []).map((issue) => String(issue.path[0]))));
    if (parsed.success) save.mutate(parsed.data);
  }

  const numberField = (field: NumberField, max: number, hint?: string) => (
    <TextField
      key={field}
      label={t(`editOffering.${field}`)}
      hint={hint}
      optional={OPTIONAL_NUMBERS.includes(field)}
      type="number"
      inputMode="numeric"
      min={0}
      max={max}
      value={form[field]}
      error={invalid.has(field) ? t("editOffering.invalidNumber") : undefined}
      onChange={(e) => set(field, e.target.value)}
    />
  );

  return (
    <section className="section" aria-labelledby="edit-offering-title">
      <h2 id="edit-offering-title">{t("editOffering.title")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p className="muted">{t("editOffering.intro")}</p>
        <TextField
          label={t("editOffering.name")}
          maxLength={80}
          value={form.title}
          error={invalid.has("title") ? t("editOffering.invalidText") : undefined}
          onChange={(e) => set("title", e.target.value)}
        />
        <TextAreaField
          label={t("editOffering.description")}
          optional
          maxLength={2000}
          value={form.description}
          error={invalid.has("description") ? t("invalid.tooLong") : undefined}
          onChange={(e) => set("description", e.target.value)}
        />
        <TextField
          label={t("editOffering.price")}
          hint={t("editOffering.priceHint")}
          inputMode="decimal"
          value={form.price}
          error={invalid.has("priceFen") ? t("editOffering.invalidPrice") : undefined}
          onChange={(e) => set("price", e.target.value)}
        />
        <TextField
          label={t("editOffering.subsidyNote")}
          optional
          maxLength={200}
          value={form.subsidyNote}
          error={invalid.has("subsidyNote") ? t("invalid.tooLong") : undefined}
          onChange={(e) => set("subsidyNote", e.target.value)}
        />
        {numberField("minAge", 120, t("editOffering.minAgeHint"))}
        <PersonTypeChoices
          legend={t("editOffering.personTypes")}
          hint={t("editOffering.personTypesHint")}
          value={form.personTypes}
          onChange={(codes) => set("personTypes", codes)}
        />
        {numberField("priorityAge", 120, t("editOffering.priorityAgeHint"))}
        {numberField("priorityDays", 30)}
        {numberField("opensDaysBefore", 180)}
        {numberField("closesHoursBefore", 720)}
        {numberField("cancelCutoffHours", 720)}
        {numberField("maxActivePerPerson", 100)}
        <Switch label={t("editOffering.waitlist")} checked={form.waitlist} onChange={(on) => set("waitlist", on)} />
        <Switch
          label={t("editOffering.requiresConfirmation")}
          checked={form.requiresConfirmation}
          onChange={(on) => set("requiresConfirmation", on)}
        />
        <Switch
          label={t("editOffering.requiresAddress")}
          checked={form.requiresAddress}
          onChange={(on) => set("requiresAddress", on)}
        />
        {invalid.size > 0 ? (
          <p className="field__error" role="alert">
            {t("editOffering.invalid")}
          </p>
        ) : null}
        <ErrorNotice error={save.error} messages={OFFERING_ERRORS} />
        {save.isSuccess ? <SuccessNotice>{t("editOffering.saved")}</SuccessNotice> : null}
        {unchanged ? <SuccessNotice>{t("editOffering.noChanges")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={save.isPending}>
          {save.isPending ? t("common.saving") : t("editOffering.save")}
        </button>
      </form>
    </section>
  );
}

/** Archive: asked twice; gone from the list, no new slots or bookings, existing bookings stand. */
export function ArchiveOffering({ offering }: { offering: Offering }) {
  const t = useT();
  const refresh = useRefreshOffering(offering.id);
  const archive = useMutation({
    mutationFn: () => unwrap(api.offerings[":id"].archive.$post({ param: { id: offering.id }, query: {} })),
    onSuccess: refresh,
  });
  return (
    <section className="section" aria-labelledby="archive-offering-title">
      <h2 id="archive-offering-title">{t("archiveOffering.title")}</h2>
      <div className="card form">
        <p className="muted">{t("archiveOffering.intro")}</p>
        <div>
          <ConfirmAction
            label={t("archiveOffering.button")}
            question={t("archiveOffering.question", { title: offering.title })}
            confirmLabel={t("archiveOffering.confirm")}
            busy={archive.isPending}
            onConfirm={() => archive.mutate()}
          />
        </div>
        <ErrorNotice error={archive.error} messages={OFFERING_ERRORS} />
      </div>
    </section>
  );
}
