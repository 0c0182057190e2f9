import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { CheckboxGroup, SelectField, TextAreaField, TextField } from "../../components/fields";
import { PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import { addDays, formatMoment } from "../../lib/bookings";
import { today } from "../../lib/calendar";
import {
  CLINIC_SERVICES,
  type Clinic,
  clinicQuery,
  DOCTOR_TITLES,
  doctorConsultationsQuery,
  SCHEDULE_KINDS,
  type ScheduleBlock,
  ScheduleInput,
  staffSigningsQuery,
} from "../../lib/clinics";
import { WEEKDAYS } from "../../lib/facilities";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { organisationsQuery } from "../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../lib/roles";

const ClinicSearch = z.object({ clinic: z.string().min(1).max(64).optional().catch(undefined) });

export const Route = createFileRoute("/staff/clinic")({
  validateSearch: ClinicSearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.clinic) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(organisationsQuery),
  component: StaffClinicPage,
});

function StaffClinicPage() {
  const t = useT();
  const { me } = Route.useRouteContext();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: organisations } = useSuspenseQuery(organisationsQuery);
  const mine = staffOrganisations(me);
  const clinics = organisations.filter((o) => o.type === "clinic" && (mine === null || mine.includes(o.id)));
  const clinicId = search.clinic ?? clinics[0]?.id ?? "";
  return (
    <>
      <PageHeading title={t("staffClinic.title")} lead={t("staffClinic.lead")} />
      <Consultations />
      {clinics.length > 1 ? (
        <SelectField
          label={t("staffClinic.choose")}
          value={clinicId}
          options={clinics.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(e) => navigate({ search: { clinic: e.target.value }, replace: true })}
        />
      ) : null}
      {clinicId ? <ClinicAdmin key={clinicId} clinicId={clinicId} /> : null}
    </>
  );
}

/** A doctor's own online consultations (shown only to accounts that are doctors). */
function Consultations() {
  const t = useT();
  const { locale } = usePreferences();
  const list = useQuery({ ...doctorConsultationsQuery, retry: false });
  if (!list.data) return null;
  return (
    <section className="section" aria-labelledby="consultations-title">
      <h2 id="consultations-title">{t("staffClinic.consultations")}</h2>
      {list.data.length === 0 ? <p className="muted">{t("staffClinic.consultationsEmpty")}</p> : null}
      <ul className="list">
        {list.data.map((c) => (
          <li key={c.bookingId} className="list__item stack">
            <span className="list__title">
              {c.personName} · {formatMoment(locale, c.startsAt)}
            </span>
            <span className="badge badge--open">{t(`bookingStatus.${c.status as "confirmed"}`)}</span>
            <span className="pre-line">{c.symptoms ?? t("staffClinic.noSymptoms")}</span>
            {c.meetingLink ? (
              <a href={c.meetingLink} className="button button--small" rel="noopener noreferrer" target="_blank">
                {t("teleconsult.link")}
              </a>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ClinicAdmin({ clinicId }: { clinicId: string }) {
  const { data: clinic } = useSuspenseQuery(clinicQuery(clinicId));
  return (
    <>
      <AddDepartment clinic={clinic} />
      {clinic.doctors.map((doctor) => (
        <DoctorSchedule key={doctor.id} clinic={clinic} doctor={doctor} />
      ))}
      {clinic.departments.length > 0 ? <AddDoctor clinic={clinic} /> : null}
      <Signings clinicId={clinicId} />
    </>
  );
}

function useClinicWrite<T>(clinicId: string, write: (input: T) => Promise<Clinic>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (after) => queryClient.setQueryData(clinicQuery(clinicId).queryKey, after),
  });
}

function AddDepartment({ clinic }: { clinic: Clinic }) {
  const t = useT();
  const [name, setName] = useState("");
  const [services, setServices] = useState<string[]>(["general"]);
  const add = useClinicWrite(clinic.id, () =>
    unwrap(
      api.clinics[":id"].departments.$post({
        param: { id: clinic.id },
        query: {},
        json: { name: name.trim(), services: services as Array<(typeof CLINIC_SERVICES)[number]> },
      }),
    ),
  );
  return (
    <section className="section" aria-labelledby="departments-title">
      <h2 id="departments-title">{t("clinics.departments")}</h2>
      <ul className="list">
        {clinic.departments.map((d) => (
          <li key={d.id} className="list__item">
            <span className="list__title">{d.name}</span>
            <span className="muted small">{d.services.map((s) => t(`clinicService.${s}`)).join("、")}</span>
          </li>
        ))}
      </ul>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && services.length) add.mutate(undefined, { onSuccess: () => setName("") });
        }}
      >
        <TextField
          label={t("staffClinic.departmentName")}
          value={name}
          maxLength={30}
          onChange={(e) => setName(e.target.value)}
        />
        <CheckboxGroup
          legend={t("staffClinic.departmentServices")}
          name="services"
          value={services}
          onChange={setServices}
          options={CLINIC_SERVICES.map((s) => ({ value: s, label: t(`clinicService.${s}`) }))}
        />
        <ErrorNotice error={add.error} />
        <button type="submit" className="button button--secondary button--block" disabled={add.isPending}>
          {t("staffClinic.addDepartment")}
        </button>
      </form>
    </section>
  );
}

function AddDoctor({ clinic }: { clinic: Clinic }) {
  const t = useT();
  const [form, setForm] = useState({
    departmentId: clinic.departments[0]?.id ?? "",
    name: "",
    title: "general_practitioner",
    specialty: "",
    accountPhone: "",
    meetingLink: "",
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const add = useClinicWrite(clinic.id, () =>
    unwrap(
      api.clinics[":id"].doctors.$post({
        param: { id: clinic.id },
        query: {},
        json: {
          departmentId: form.departmentId,
          name: form.name.trim(),
          title: form.title as (typeof DOCTOR_TITLES)[number],
          specialty: form.specialty.trim(),
          accountPhone: form.accountPhone.trim() || null,
          meetingLink: form.meetingLink.trim() || null,
        },
      }),
    ),
  );
  return (
    <section className="section" aria-labelledby="add-doctor-title">
      <h2 id="add-doctor-title">{t("staffClinic.addDoctor")}</h2>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          if (form.name.trim())
            add.mutate(undefined, {
              onSuccess: () => set({ name: "", specialty: "", accountPhone: "", meetingLink: "" }),
            });
        }}
      >
        <SelectField
          label={t("staffClinic.department")}
          value={form.departmentId}
          options={clinic.departments.map((d) => ({ value: d.id, label: d.name }))}
          onChange={(e) => set({ departmentId: e.target.value })}
        />
        <TextField
          label={t("staffClinic.doctorName")}
          value={form.name}
          maxLength={20}
          onChange={(e) => set({ name: e.target.value })}
        />
        <SelectField
          label={t("staffClinic.doctorTitle")}
          value={form.title}
          options={DOCTOR_TITLES.map((d) => ({ value: d, label: t(`doctorTitle.${d}`) }))}
          onChange={(e) => set({ title: e.target.value })}
        />
        <TextField
          label={t("staffClinic.specialty")}
          optional
          value={form.specialty}
          maxLength={100}
          onChange={(e) => set({ specialty: e.target.value })}
        />
        <TextField
          label={t("staffClinic.accountPhone")}
          hint={t("staffClinic.accountPhoneHint")}
          optional
          type="tel"
          value={form.accountPhone}
          onChange={(e) => set({ accountPhone: e.target.value })}
        />
        <TextField
          label={t("staffClinic.meetingLink")}
          optional
          type="url"
          value={form.meetingLink}
          onChange={(e) => set({ meetingLink: e.target.value })}
        />
        <ErrorNotice error={add.error} />
        <button type="submit" className="button button--secondary button--block" disabled={add.isPending}>
          {t("staffClinic.addDoctor")}
        </button>
      </form>
    </section>
  );
}

const NEW_BLOCK: ScheduleBlock = {
  weekday: 1,
  start: "08:00",
  end: "11:30",
  kind: "clinic",
  slotMinutes: 15,
  capacity: 1,
};

function DoctorSchedule({ clinic, doctor }: { clinic: Clinic; doctor: Clinic["doctors"][number] }) {
  const t = useT();
  // Each block row keeps a key of its own while rows are added and removed.
  const [rows, setRows] = useState(() => doctor.schedule.map((block) => ({ key: crypto.randomUUID(), block })));
  const blocks = rows.map((r) => r.block);
  const [savedNote, setSavedNote] = useState(false);
  const valid = ScheduleInput.safeParse({ blocks });
  const save = useClinicWrite(clinic.id, () =>
    unwrap(api.doctors[":id"].schedule.$put({ param: { id: doctor.id }, query: {}, json: { blocks } })),
  );
  const [from, setFrom] = useState(addDays(today(), 1));
  const [until, setUntil] = useState(addDays(today(), 14));
  const [holidays, setHolidays] = useState("");
  const queryClient = useQueryClient();
  const generate = useMutation({
    mutationFn: () =>
      unwrap(
        api.doctors[":id"].slots.$post({
          param: { id: doctor.id },
          query: {},
          json: { from, until, skipDates: holidays.split(/[\s,，、]+/).filter(Boolean) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clinicQuery(clinic.id).queryKey }),
  });
  const setBlock = (key: string, patch: Partial<ScheduleBlock>) =>
    setRows((all) => all.map((r) => (r.key === key ? { key, block: { ...r.block, ...patch } } : r)));
  function submit(event: FormEvent) {
    event.preventDefault();
    setSavedNote(false);
    if (valid.success) save.mutate(undefined, { onSuccess: () => setSavedNote(true) });
  }
  return (
    <section className="section" aria-labelledby={`schedule-${doctor.id}`}>
      <h2 id={`schedule-${doctor.id}`}>{t("staffClinic.scheduleTitle", { name: doctor.name })}</h2>
      <form className="card form" onSubmit={submit}>
        {rows.map(({ key, block: b }) => (
          <fieldset key={key} className="fieldset">
            <legend className="fieldset__legend">
              {t(`weekday.${WEEKDAYS[b.weekday - 1] ?? "mon"}`)} {b.start}–{b.end}
            </legend>
            <div className="field-pair">
              <SelectField
                label={t("staffClinic.weekday")}
                value={String(b.weekday)}
                options={WEEKDAYS.map((d, j) => ({ value: String(j + 1), label: t(`weekday.${d}`) }))}
                onChange={(e) => setBlock(key, { weekday: Number(e.target.value) })}
              />
              <SelectField
                label={t("staffClinic.kind")}
                value={b.kind}
                options={SCHEDULE_KINDS.map((k) => ({ value: k, label: t(`clinics.kind.${k}`) }))}
                onChange={(e) => setBlock(key, { kind: e.target.value as ScheduleBlock["kind"] })}
              />
            </div>
            <div className="field-pair">
              <TextField
                label={t("staffClinic.start")}
                type="time"
                value={b.start}
                onChange={(e) => setBlock(key, { start: e.target.value })}
              />
              <TextField
                label={t("staffClinic.end")}
                type="time"
                value={b.end}
                onChange={(e) => setBlock(key, { end: e.target.value })}
              />
            </div>
            <div className="field-pair">
              <TextField
                label={t("staffClinic.slotMinutes")}
                inputMode="numeric"
                value={String(b.slotMinutes)}
                onChange={(e) => setBlock(key, { slotMinutes: Number(e.target.value) || 0 })}
              />
              <TextField
                label={t("staffClinic.capacity")}
                inputMode="numeric"
                value={String(b.capacity)}
                onChange={(e) => setBlock(key, { capacity: Number(e.target.value) || 0 })}
              />
            </div>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setRows((all) => all.filter((r) => r.key !== key))}
            >
              {t("staffClinic.removeBlock")}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setRows((all) => [...all, { key: crypto.randomUUID(), block: NEW_BLOCK }])}
        >
          {t("staffClinic.addBlock")}
        </button>
        {!valid.success ? <p className="field__error">{t("staffClinic.invalid")}</p> : null}
        {savedNote ? <SuccessNotice>{t("staffClinic.scheduleSaved")}</SuccessNotice> : null}
        <ErrorNotice error={save.error} />
        <button type="submit" className="button button--block" disabled={save.isPending || !valid.success}>
          {t("staffClinic.saveSchedule")}
        </button>
      </form>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          generate.mutate();
        }}
      >
        <h3>{t("staffClinic.generateTitle")}</h3>
        <div className="field-pair">
          <TextField label={t("staffClinic.from")} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField
            label={t("staffClinic.until")}
            type="date"
            value={until}
            min={from}
            onChange={(e) => setUntil(e.target.value)}
          />
        </div>
        <TextField
          label={t("staffClinic.holidays")}
          hint={t("staffClinic.holidaysHint")}
          optional
          value={holidays}
          onChange={(e) => setHolidays(e.target.value)}
        />
        {generate.data ? (
          <SuccessNotice>
            {t("staffClinic.generated", {
              created: generate.data.created,
              existing: generate.data.existing,
              skipped: generate.data.skipped.length,
            })}
          </SuccessNotice>
        ) : null}
        <ErrorNotice error={generate.error} />
        <button type="submit" className="button button--secondary button--block" disabled={generate.isPending}>
          {t("staffClinic.generate")}
        </button>
      </form>
    </section>
  );
}

function Signings({ clinicId }: { clinicId: string }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const list = useQuery(staffSigningsQuery(clinicId));
  const [reason, setReason] = useState<Record<string, string>>({});
  const decide = useMutation({
    mutationFn: (v: { id: string; decision: "accept" | "decline" }) =>
      unwrap(
        api["family-doctor"].signings[":id"].decision.$post({
          param: { id: v.id },
          query: {},
          json:
            v.decision === "accept"
              ? { decision: "accept" }
              : { decision: "decline", note: reason[v.id]?.trim() ?? "" },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffSigningsQuery(clinicId).queryKey }),
  });
  const rows = list.data ?? [];
  return (
    <section className="section" aria-labelledby="signings-title">
      <h2 id="signings-title">{t("staffClinic.signingsTitle")}</h2>
      {rows.length === 0 ? <p className="muted">{t("staffClinic.signingsEmpty")}</p> : null}
      <ul className="list">
        {rows.map((s) => (
          <li key={s.id} className="list__item stack">
            <span className="list__title">
              {s.personName} {s.phoneMasked ?? ""}
            </span>
            <span className="muted small">{formatMoment(locale, s.requestedAt)}</span>
            {s.note ? <span>{s.note}</span> : null}
            <span className={`badge ${s.status === "accepted" ? "badge--ok" : "badge--warn"}`}>
              {t(`signingStatus.${s.status}`)}
            </span>
            {s.status === "requested" ? (
              <>
                <button
                  type="button"
                  className="button button--small"
                  disabled={decide.isPending}
                  onClick={() => decide.mutate({ id: s.id, decision: "accept" })}
                >
                  {t("staffClinic.accept")}
                  <span className="visually-hidden"> {s.personName}</span>
                </button>
                <TextAreaField
                  label={t("staffClinic.declineReason")}
                  rows={2}
                  maxLength={200}
                  value={reason[s.id] ?? ""}
                  onChange={(e) => setReason((r) => ({ ...r, [s.id]: e.target.value }))}
                />
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={decide.isPending || !reason[s.id]?.trim()}
                  onClick={() => decide.mutate({ id: s.id, decision: "decline" })}
                >
                  {t("staffClinic.decline")}
                  <span className="visually-hidden"> {s.personName}</span>
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorNotice error={decide.error ?? list.error} />
    </section>
  );
}
