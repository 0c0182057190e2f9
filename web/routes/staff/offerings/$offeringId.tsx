import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { EXPORT_MAX_DAYS, SeriesInput, SlotInput } from "../../../../worker/features/bookings/bookings.schema";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { TextField } from "../../../components/fields";
import { FileDownload } from "../../../components/file-download";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { ApiError, api, unwrap } from "../../../lib/api";
import {
  addDays,
  categoryName,
  formatDay,
  formatTimeRange,
  formatWhen,
  fromShanghai,
  shanghaiDate,
} from "../../../lib/bookings";
import { WEEKDAYS } from "../../../lib/facilities";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { offeringQuery, offeringSlotsQuery, personTypesQuery, slotsKeyOf } from "../../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../../lib/roles";
import { FillLevel } from "../-components/fill-level";
import { ArchiveOffering, EditOffering } from "./-components/edit-offering";

export const Route = createFileRoute("/staff/offerings/$offeringId")({
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: async ({ context: { queryClient, me }, params }) => {
    try {
      const offering = await queryClient.ensureQueryData(offeringQuery(params.offeringId));
      const mine = staffOrganisations(me);
      if (mine && !mine.includes(offering.organisationId)) throw notFound();
      await Promise.all([
        queryClient.ensureQueryData(offeringSlotsQuery(params.offeringId)),
        queryClient.ensureQueryData(personTypesQuery),
      ]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: StaffOfferingPage,
});

function StaffOfferingPage() {
  const t = useT();
  const { offeringId } = Route.useParams();
  const { data: offering } = useSuspenseQuery(offeringQuery(offeringId));
  return (
    <>
      <p>
        <Link to="/staff/offerings" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffOfferings.back")}
        </Link>
      </p>
      <PageHeading
        title={offering.title}
        lead={`${offering.organisationName} · ${categoryName(t, offering.category)}`}
      />
      {offering.status === "archived" ? (
        <p className="notice notice--warn" role="status">
          {t("archiveOffering.archived")}
        </p>
      ) : null}
      <Export offeringId={offeringId} />
      {offering.status === "active" ? (
        <>
          <AddSlot offeringId={offeringId} />
          <AddSeries offeringId={offeringId} />
        </>
      ) : null}
      <UpcomingSlots offeringId={offeringId} />
      {offering.status === "active" ? (
        <>
          <EditOffering key={offering.id} offering={offering} />
          <ArchiveOffering offering={offering} />
        </>
      ) : null}
    </>
  );
}

function Export({ offeringId }: { offeringId: string }) {
  const t = useT();
  const today = shanghaiDate(Date.now());
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(addDays(today, 30));
  const ordered = from !== "" && to !== "" && from <= to;
  // The API's own limit, both days counted: said here, before asking.
  const tooLong = ordered && to > addDays(from, EXPORT_MAX_DAYS - 1);
  return (
    <section className="section" aria-labelledby="export-title">
      <h2 id="export-title">{t("staffOfferings.export")}</h2>
      <div className="card form">
        <p className="muted">{t("staffOfferings.exportHint")}</p>
        <div className="field-pair">
          <TextField
            label={t("staffOfferings.from")}
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField label={t("staffOfferings.to")} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        {ordered && !tooLong ? (
          <FileDownload
            className="button button--secondary button--block"
            href={`/api/offerings/${offeringId}/bookings.csv?from=${from}&to=${to}`}
            label={t("staffOfferings.download")}
            fallbackName={`bookings-${offeringId}.csv`}
          />
        ) : (
          <p className="field__error">
            {tooLong ? t("invalid.exportTooLong", { days: EXPORT_MAX_DAYS }) : t("invalid.dateRange")}
          </p>
        )}
      </div>
    </section>
  );
}

function useRefreshSlots(offeringId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: slotsKeyOf(offeringId) }),
      queryClient.invalidateQueries({ queryKey: ["staff"] }),
      queryClient.invalidateQueries({ queryKey: ["offerings", "care"] }),
    ]);
}

function AddSlot({ offeringId }: { offeringId: string }) {
  const t = useT();
  const { locale } = usePreferences();
  const refresh = useRefreshSlots(offeringId);
  const [form, setForm] = useState({ date: "", start: "09:00", end: "11:00", capacity: "10", note: "" });
  const [invalid, setInvalid] = useState(false);
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  const create = useMutation({
    mutationFn: (input: z.infer<typeof SlotInput>) =>
      unwrap(api.offerings[":id"].slots.$post({ param: { id: offeringId }, query: {}, json: input })),
    onSuccess: async () => {
      // A second tap must not add the same slot again: the date is asked for anew.
      setForm((f) => ({ ...f, date: "" }));
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = form.date
      ? SlotInput.safeParse({
          startsAt: fromShanghai(form.date, form.start),
          endsAt: fromShanghai(form.date, form.end),
          capacity: Number(form.capacity),
          ...(form.note.trim() ? { note: form.note.trim() } : {}),
        })
      : null;
    // A session under way may be added; one already over may not (the API says the same).
    const ok = parsed?.success && parsed.data.endsAt > Date.now();
    setInvalid(!ok);
    if (ok && parsed?.success) create.mutate(parsed.data);
  }

  return (
    <section className="section" aria-labelledby="add-slot-title">
      <h2 id="add-slot-title">{t("staffOfferings.addSlot")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <TextField
          label={t("staffOfferings.date")}
          type="date"
          min={shanghaiDate(Date.now())}
          value={form.date}
          onChange={(e) => set("date")(e.target.value)}
        />
        <TimesAndCapacity form={form} set={set} />
        <TextField
          label={t("staffOfferings.note")}
          hint={t("staffOfferings.noteHint")}
          optional
          maxLength={200}
          value={form.note}
          onChange={(e) => set("note")(e.target.value)}
        />
        {invalid ? (
          <p className="field__error" role="alert">
            {t("invalid.slotForm")}
          </p>
        ) : null}
        <ErrorNotice error={create.error} />
        {create.data ? (
          <SuccessNotice>
            {t("staffOfferings.slotAdded", { when: formatWhen(locale, create.data.startsAt, create.data.endsAt) })}
          </SuccessNotice>
        ) : null}
        <button type="submit" className="button button--block" disabled={create.isPending}>
          {t("staffOfferings.addSlotSubmit")}
        </button>
      </form>
    </section>
  );
}

/** Start and end time and places: the part a single session and a weekly series share. */
function TimesAndCapacity({
  form,
  set,
}: {
  form: { start: string; end: string; capacity: string };
  set: (field: "start" | "end" | "capacity") => (value: string) => void;
}) {
  const t = useT();
  return (
    <>
      <div className="field-pair">
        <TextField
          label={t("staffOfferings.start")}
          type="time"
          value={form.start}
          onChange={(e) => set("start")(e.target.value)}
        />
        <TextField
          label={t("staffOfferings.end")}
          type="time"
          value={form.end}
          onChange={(e) => set("end")(e.target.value)}
        />
      </div>
      <TextField
        label={t("staffOfferings.capacity")}
        type="number"
        inputMode="numeric"
        min={1}
        max={10000}
        value={form.capacity}
        onChange={(e) => set("capacity")(e.target.value)}
      />
    </>
  );
}

function AddSeries({ offeringId }: { offeringId: string }) {
  const t = useT();
  const { locale } = usePreferences();
  const refresh = useRefreshSlots(offeringId);
  const today = shanghaiDate(Date.now());
  const [form, setForm] = useState({
    from: addDays(today, 1),
    to: addDays(today, 28),
    start: "09:00",
    end: "11:00",
    capacity: "10",
    note: "",
  });
  const [weekdays, setWeekdays] = useState<number[]>([1, 2, 3, 4, 5]);
  const [skipDates, setSkipDates] = useState<string[]>([]);
  const [extraDates, setExtraDates] = useState<string[]>([]);
  const [invalid, setInvalid] = useState(false);
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  const create = useMutation({
    mutationFn: (input: SeriesInput) =>
      unwrap(api.offerings[":id"]["slot-series"].$post({ param: { id: offeringId }, query: {}, json: input })),
    onSuccess: async () => {
      // A second tap must not add the whole series again: the dates are asked for anew.
      setForm((f) => ({ ...f, from: "", to: "" }));
      await refresh();
    },
  });

  function toggle(day: number, on: boolean) {
    setWeekdays((list) => (on ? [...new Set([...list, day])].sort() : list.filter((d) => d !== day)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = SeriesInput.safeParse({
      ...form,
      capacity: Number(form.capacity),
      weekdays,
      skipDates,
      extraDates,
      note: form.note.trim() || undefined,
    });
    // From today on (the API says the same).
    const ok = parsed.success && parsed.data.from >= shanghaiDate(Date.now());
    setInvalid(!ok);
    if (ok && parsed.success) create.mutate(parsed.data);
  }

  return (
    <section className="section" aria-labelledby="add-series-title">
      <h2 id="add-series-title">{t("staffOfferings.addSeries")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p className="muted">{t("staffOfferings.seriesHint")}</p>
        <div className="field-pair">
          <TextField
            label={t("staffOfferings.from")}
            type="date"
            min={shanghaiDate(Date.now())}
            value={form.from}
            onChange={(e) => set("from")(e.target.value)}
          />
          <TextField
            label={t("staffOfferings.to")}
            type="date"
            min={form.from || shanghaiDate(Date.now())}
            value={form.to}
            onChange={(e) => set("to")(e.target.value)}
          />
        </div>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t("staffOfferings.weekdays")}</legend>
          <div className="choices choices--weekdays">
            {WEEKDAYS.map((day, i) => (
              <label key={day} className="choice">
                <input
                  type="checkbox"
                  checked={weekdays.includes(i + 1)}
                  onChange={(e) => toggle(i + 1, e.target.checked)}
                />
                {t(`weekdayShort.${day}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <TimesAndCapacity form={form} set={set} />
        <DateList
          legend={t("staffOfferings.skip")}
          hint={t("staffOfferings.skipHint")}
          inputLabel={t("staffOfferings.skipDate")}
          range={[form.from, form.to]}
          dates={skipDates}
          onChange={setSkipDates}
        />
        <DateList
          legend={t("staffOfferings.extra")}
          hint={t("staffOfferings.extraHint")}
          inputLabel={t("staffOfferings.extraDate")}
          range={[form.from, form.to]}
          dates={extraDates}
          onChange={setExtraDates}
        />
        <TextField
          label={t("staffOfferings.note")}
          hint={t("staffOfferings.seriesNoteHint")}
          optional
          maxLength={200}
          value={form.note}
          onChange={(e) => set("note")(e.target.value)}
        />
        {invalid ? (
          <p className="field__error" role="alert">
            {t("invalid.series")}
          </p>
        ) : null}
        <ErrorNotice error={create.error} />
        {create.data ? (
          <SuccessNotice>
            {create.data.skipped.length > 0
              ? t("staffOfferings.seriesAddedSkipped", {
                  count: create.data.created,
                  skipped: create.data.skipped.map((d) => formatDate(locale, d)).join(t("list.separator")),
                })
              : t("staffOfferings.seriesAdded", { count: create.data.created })}
            {create.data.added.length > 0
              ? ` ${t("staffOfferings.seriesExtra", {
                  dates: create.data.added.map((d) => formatDate(locale, d)).join(t("list.separator")),
                })}`
              : null}
            {create.data.existing.length > 0
              ? ` ${t("staffOfferings.seriesExisting", {
                  dates: create.data.existing.map((d) => formatDate(locale, d)).join(t("list.separator")),
                })}`
              : null}
          </SuccessNotice>
        ) : null}
        <button type="submit" className="button button--block" disabled={create.isPending}>
          {t("staffOfferings.addSeriesSubmit")}
        </button>
      </form>
    </section>
  );
}

/** A list of dates picked one at a time (holidays to skip, make-up working days to add). */
function DateList({
  legend,
  hint,
  inputLabel,
  range: [from, to],
  dates,
  onChange,
}: {
  legend: string;
  hint: string;
  inputLabel: string;
  /** The series' first and last dates, once chosen: the picker offers only days between them. */
  range: [string, string];
  dates: string[];
  onChange: (dates: string[]) => void;
}) {
  const t = useT();
  const { locale } = usePreferences();
  const [draft, setDraft] = useState("");

  function add() {
    if (!draft || dates.includes(draft)) return;
    onChange([...dates, draft].sort());
    setDraft("");
  }

  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{legend}</legend>
      <p className="field__hint">{hint}</p>
      <div className="row">
        <input
          className="input input--date"
          type="date"
          aria-label={inputLabel}
          min={from || undefined}
          max={to || undefined}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="button" className="button button--secondary button--small" onClick={add}>
          {t("staffOfferings.skipAdd")}
          <span className="visually-hidden"> {inputLabel}</span>
        </button>
      </div>
      {dates.length > 0 ? (
        <ul className="chips" aria-label={legend}>
          {dates.map((date) => (
            <li key={date} className="chip chip--removable">
              {formatDate(locale, date)}
              <button type="button" className="text-button" onClick={() => onChange(dates.filter((d) => d !== date))}>
                {t("staffOfferings.skipRemove")}
                <span className="visually-hidden"> {formatDate(locale, date)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

function UpcomingSlots({ offeringId }: { offeringId: string }) {
  const t = useT();
  const { locale } = usePreferences();
  const { data: slots } = useSuspenseQuery(offeringSlotsQuery(offeringId));
  return (
    <section className="section" aria-labelledby="upcoming-slots-title">
      <h2 id="upcoming-slots-title">{t("staffOfferings.upcoming")}</h2>
      {slots.length === 0 ? (
        <p className="muted">{t("offering.noSlots")}</p>
      ) : (
        <ul className="list">
          {slots.map((slot) => (
            <li key={slot.id} className="list__item">
              <Link
                to="/staff/slots/$slotId"
                params={{ slotId: slot.id }}
                search={{ date: shanghaiDate(slot.startsAt) }}
                className="list__link"
              >
                <span className="list__text">
                  <span className="list__title">
                    {formatDay(locale, slot.startsAt)} {formatTimeRange(slot.startsAt, slot.endsAt)}
                  </span>
                  <FillLevel capacity={slot.capacity} taken={slot.taken} waitlisted={slot.waitlisted} />
                  {slot.note ? <span className="muted small">{slot.note}</span> : null}
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
