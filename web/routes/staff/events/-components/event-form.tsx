import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import type { z } from "zod";
import type { EventInput, EventPatch, EventSchedule } from "../../../../../worker/features/events/events.schema";
import { CheckboxGroup, RadioGroup, SelectField, TextAreaField, TextField } from "../../../../components/fields";
import { EVENT_ACCESSIBILITY, EVENT_AUDIENCES, EVENT_CATEGORIES, type Event } from "../../../../lib/events";
import { WEEKDAYS } from "../../../../lib/facilities";
import { useT } from "../../../../lib/i18n";
import { facilityListQuery, facilityQuery } from "../../../../lib/queries";

/** What the editor's detail fields hold (text as typed), for a new event or a change to one. */
export interface DetailsForm {
  title: string;
  description: string;
  category: string;
  audience: string;
  /** One of the street's facilities ("" for none: the place in words only). */
  facilityId: string;
  placeText: string;
  accessibility: string[];
  accessibilityNote: string;
  contact: string;
  minAge: string;
}

export function detailsOf(event: Event): DetailsForm {
  return {
    title: event.title,
    description: event.description,
    category: event.category,
    audience: event.audience,
    facilityId: event.facilityId ?? "",
    placeText: event.placeText ?? "",
    accessibility: event.accessibility,
    accessibilityNote: event.accessibilityNote ?? "",
    contact: event.contact,
    minAge: event.minAge === null ? "" : String(event.minAge),
  };
}

export const EMPTY_DETAILS: DetailsForm = {
  title: "",
  description: "",
  category: "culture",
  audience: "all",
  facilityId: "",
  placeText: "",
  accessibility: [],
  accessibilityNote: "",
  contact: "",
  minAge: "",
};

/** The detail fields as the API takes them (a number field left empty: no rule). */
export function detailsInput(form: DetailsForm) {
  return {
    title: form.title,
    description: form.description,
    category: form.category,
    audience: form.audience,
    facilityId: form.facilityId || null,
    placeText: form.placeText.trim() || null,
    accessibility: form.accessibility,
    accessibilityNote: form.accessibilityNote.trim() || null,
    contact: form.contact,
    minAge: form.minAge.trim() === "" ? null : Number(form.minAge),
  } as unknown as z.input<typeof EventPatch>;
}

export { fieldErrors } from "../../../../components/fields";

export function DetailsFields({
  form,
  set,
  errors,
  communityId,
}: {
  form: DetailsForm;
  set: <K extends keyof DetailsForm>(field: K, value: DetailsForm[K]) => void;
  errors: Record<string, string>;
  /** The event's community: its facilities are offered first (null: street-wide, all of them). */
  communityId: string | null;
}) {
  const t = useT();
  const err = (field: string) => (errors[field] ? t("eventForm.fieldInvalid") : undefined);
  return (
    <>
      <TextField
        label={t("eventForm.title")}
        value={form.title}
        maxLength={80}
        error={err("title")}
        onChange={(e) => set("title", e.target.value)}
      />
      <SelectField
        label={t("eventForm.category")}
        value={form.category}
        options={EVENT_CATEGORIES.map((c) => ({ value: c, label: t(`eventCategory.${c}`) }))}
        onChange={(e) => set("category", e.target.value)}
      />
      <SelectField
        label={t("eventForm.audience")}
        value={form.audience}
        options={EVENT_AUDIENCES.map((a) => ({ value: a, label: t(`eventAudience.${a}`) }))}
        onChange={(e) => set("audience", e.target.value)}
      />
      <TextAreaField
        label={t("eventForm.description")}
        optional
        rows={4}
        maxLength={4000}
        value={form.description}
        error={err("description")}
        onChange={(e) => set("description", e.target.value)}
      />
      <FacilityPicker
        communityId={communityId}
        value={form.facilityId}
        onChange={(id) => set("facilityId", id)}
        error={err("facilityId")}
      />
      <TextField
        label={t("eventForm.place")}
        hint={t("eventForm.placeHint")}
        value={form.placeText}
        maxLength={120}
        error={err("placeText")}
        onChange={(e) => set("placeText", e.target.value)}
      />
      <CheckboxGroup
        legend={t("eventForm.accessibility")}
        name="accessibility"
        options={EVENT_ACCESSIBILITY.map((a) => ({ value: a, label: t(`eventAccess.${a}`) }))}
        value={form.accessibility}
        onChange={(value) => set("accessibility", value)}
      />
      <TextField
        label={t("eventForm.accessibilityNote")}
        optional
        maxLength={200}
        value={form.accessibilityNote}
        onChange={(e) => set("accessibilityNote", e.target.value)}
      />
      <TextField
        label={t("eventForm.contact")}
        hint={t("eventForm.contactHint")}
        value={form.contact}
        maxLength={100}
        error={err("contact")}
        onChange={(e) => set("contact", e.target.value)}
      />
      <TextField
        label={t("eventForm.minAge")}
        optional
        inputMode="numeric"
        value={form.minAge}
        error={err("minAge")}
        onChange={(e) => set("minAge", e.target.value)}
      />
    </>
  );
}

/** The dates' form: once, weekly or monthly. */
export interface ScheduleForm {
  repeat: "once" | "weekly" | "monthly";
  date: string;
  endDate: string;
  from: string;
  until: string;
  start: string;
  end: string;
  weekdays: number[];
  interval: string;
  monthly: "day" | "weekday";
  monthDay: string;
  nth: string;
  weekday: string;
}

export function emptySchedule(today: string): ScheduleForm {
  return {
    repeat: "once",
    date: today,
    endDate: "",
    from: today,
    until: "",
    start: "09:00",
    end: "11:00",
    weekdays: [6],
    interval: "1",
    monthly: "day",
    monthDay: "15",
    nth: "1",
    weekday: "6",
  };
}

/** The schedule as the API takes it (validated by the caller). */
export function scheduleInput(form: ScheduleForm): z.input<typeof EventSchedule> {
  if (form.repeat === "once") {
    return { date: form.date, start: form.start, end: form.end, ...(form.endDate ? { endDate: form.endDate } : {}) };
  }
  const recurrence =
    form.repeat === "weekly"
      ? { freq: "weekly" as const, weekdays: form.weekdays, interval: Number(form.interval) }
      : form.monthly === "day"
        ? { freq: "monthly" as const, monthDay: Number(form.monthDay) }
        : { freq: "monthly" as const, nth: Number(form.nth) as 1, weekday: Number(form.weekday) };
  return { recurrence, from: form.from, until: form.until, start: form.start, end: form.end };
}

export function ScheduleFields({
  form,
  set,
  invalid,
  multiDay = true,
}: {
  form: ScheduleForm;
  set: (patch: Partial<ScheduleForm>) => void;
  invalid: boolean;
  /** A one-off over several days (an exhibition); a course's sessions are each one day. */
  multiDay?: boolean;
}) {
  const t = useT();
  const weekdayOptions = WEEKDAYS.map((d, i) => ({ value: String(i + 1), label: t(`weekday.${d}`) }));
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{t("eventForm.when")}</legend>
      <RadioGroup
        legend={t("eventForm.repeat")}
        name="repeat"
        inline
        value={form.repeat}
        onChange={(value) => set({ repeat: value as ScheduleForm["repeat"] })}
        options={[
          { value: "once", label: t("eventForm.once") },
          { value: "weekly", label: t("eventForm.weekly") },
          { value: "monthly", label: t("eventForm.monthly") },
        ]}
      />
      {form.repeat === "once" ? (
        <div className="field-pair">
          <TextField
            label={t("eventForm.date")}
            type="date"
            value={form.date}
            onChange={(e) => set({ date: e.target.value })}
          />
          {multiDay ? (
            <TextField
              label={t("eventForm.endDate")}
              hint={t("eventForm.endDateHint")}
              optional
              type="date"
              min={form.date}
              value={form.endDate}
              onChange={(e) => set({ endDate: e.target.value })}
            />
          ) : null}
        </div>
      ) : (
        <div className="field-pair">
          <TextField
            label={t("eventForm.from")}
            type="date"
            value={form.from}
            onChange={(e) => set({ from: e.target.value })}
          />
          <TextField
            label={t("eventForm.until")}
            type="date"
            min={form.from}
            value={form.until}
            onChange={(e) => set({ until: e.target.value })}
          />
        </div>
      )}
      {form.repeat === "weekly" ? (
        <>
          <CheckboxGroup
            legend={t("eventForm.weekdays")}
            name="weekdays"
            inline
            options={WEEKDAYS.map((d, i) => ({ value: String(i + 1), label: t(`weekdayShort.${d}`) }))}
            value={form.weekdays.map(String)}
            onChange={(value) => set({ weekdays: value.map(Number) })}
          />
          <SelectField
            label={t("eventForm.interval")}
            value={form.interval}
            options={[1, 2, 3, 4].map((n) => ({ value: String(n), label: t("eventForm.everyWeeks", { n }) }))}
            onChange={(e) => set({ interval: e.target.value })}
          />
        </>
      ) : null}
      {form.repeat === "monthly" ? (
        <>
          <RadioGroup
            legend={t("eventForm.monthlyHow")}
            name="monthly"
            value={form.monthly}
            onChange={(value) => set({ monthly: value as ScheduleForm["monthly"] })}
            options={[
              { value: "day", label: t("eventForm.monthlyDay") },
              { value: "weekday", label: t("eventForm.monthlyWeekday") },
            ]}
          />
          {form.monthly === "day" ? (
            <SelectField
              label={t("eventForm.monthDay")}
              hint={t("eventForm.monthDayHint")}
              value={form.monthDay}
              options={Array.from({ length: 31 }, (_, i) => ({
                value: String(i + 1),
                label: t("eventForm.dayN", { n: i + 1 }),
              }))}
              onChange={(e) => set({ monthDay: e.target.value })}
            />
          ) : (
            <div className="field-pair">
              <SelectField
                label={t("eventForm.nth")}
                value={form.nth}
                options={(["1", "2", "3", "4", "-1"] as const).map((n) => ({
                  value: n,
                  label: t(`eventForm.nth${n}`),
                }))}
                onChange={(e) => set({ nth: e.target.value })}
              />
              <SelectField
                label={t("eventForm.weekday")}
                value={form.weekday}
                options={weekdayOptions}
                onChange={(e) => set({ weekday: e.target.value })}
              />
            </div>
          )}
        </>
      ) : null}
      <div className="field-pair">
        <TextField
          label={t("eventForm.start")}
          type="time"
          value={form.start}
          onChange={(e) => set({ start: e.target.value })}
        />
        <TextField
          label={t("eventForm.end")}
          type="time"
          value={form.end}
          onChange={(e) => set({ end: e.target.value })}
        />
      </div>
      {invalid ? (
        <p className="field__error" role="alert">
          {t("eventForm.scheduleInvalid")}
        </p>
      ) : null}
    </fieldset>
  );
}

export type NewEventInput = z.input<typeof EventInput>;

/**
 * Where, as one of the street's facilities (so residents get its address, hours and walking
 * time): the event's community's facilities (every one of the street's for a street-wide event),
 * narrowed by name; "" leaves the place in words.
 */
function FacilityPicker({
  communityId,
  value,
  onChange,
  error,
}: {
  communityId: string | null;
  value: string;
  onChange: (facilityId: string) => void;
  error: string | undefined;
}) {
  const t = useT();
  const [q, setQ] = useState("");
  // Typing does not ask the server at every key: React asks with the text once it settles.
  const list = useQuery(facilityListQuery({ communityId, q: useDeferredValue(q) }));
  const chosen = useQuery({ ...facilityQuery(value), enabled: value !== "" });
  const found = list.data?.facilities ?? [];
  const options = found.map((f) => ({ value: f.id, label: f.name }));
  // The chosen one stays a choice while the list shows others (another search, another page).
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: chosen.data?.name ?? (chosen.isError ? value : t("common.loading")) });
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{t("eventForm.facility")}</legend>
      <div className="form">
        <TextField
          label={t("eventForm.facilitySearch")}
          type="search"
          value={q}
          maxLength={50}
          onChange={(e) => setQ(e.target.value)}
        />
        <SelectField
          label={t("eventForm.facilityChoice")}
          hint={t(list.data && list.data.total > found.length ? "eventForm.facilityMore" : "eventForm.facilityHint")}
          value={value}
          placeholder={t("eventForm.facilityNone")}
          options={options}
          error={error}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
    </fieldset>
  );
}
