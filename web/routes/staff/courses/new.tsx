import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import {
  fieldErrors,
  focusFirstInvalid,
  SelectField,
  Switch,
  TextAreaField,
  TextField,
} from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { formatWhen } from "../../../lib/bookings";
import { today } from "../../../lib/calendar";
import { COURSE_CATEGORIES, COURSE_MODES, CourseInput, type CourseSchedule, sessionTimes } from "../../../lib/courses";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { organisationsQuery } from "../../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../../lib/roles";
import { emptySchedule, ScheduleFields, type ScheduleForm } from "../events/-components/event-form";

export const Route = createFileRoute("/staff/courses/new")({
  beforeLoad: ({ context }) => {
    if (!context.sections.courses) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(organisationsQuery),
  component: NewCoursePage,
});

interface CourseForm {
  title: string;
  description: string;
  category: string;
  mode: string;
  placeText: string;
  onlineLink: string;
  eligibility: string;
  minAge: string;
  fee: string;
  seats: string;
  waitlist: boolean;
  completionPercent: string;
  certificate: boolean;
  contact: string;
  skipDates: string;
}

const EMPTY: CourseForm = {
  title: "",
  description: "",
  category: "",
  mode: "in_person",
  placeText: "",
  onlineLink: "",
  eligibility: "",
  minAge: "",
  fee: "0",
  seats: "20",
  waitlist: true,
  completionPercent: "80",
  certificate: true,
  contact: "",
  skipDates: "",
};

/** The schedule as the API takes it: one date as a list of one, a pattern with the dates to leave out. */
function scheduleOf(form: ScheduleForm, skipDates: string): CourseSchedule {
  if (form.repeat === "once") return { dates: [{ date: form.date, start: form.start, end: form.end }] };
  const recurrence =
    form.repeat === "weekly"
      ? { freq: "weekly" as const, weekdays: form.weekdays, interval: Number(form.interval) }
      : form.monthly === "day"
        ? { freq: "monthly" as const, monthDay: Number(form.monthDay) }
        : { freq: "monthly" as const, nth: Number(form.nth) as 1, weekday: Number(form.weekday) };
  const skip = skipDates.split(/[\s,，、]+/).filter(Boolean);
  return {
    recurrence,
    from: form.from,
    until: form.until,
    start: form.start,
    end: form.end,
    ...(skip.length ? { skipDates: skip } : {}),
  };
}

function NewCoursePage() {
  const t = useT();
  const { locale } = usePreferences();
  const { me } = Route.useRouteContext();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: allOrganisations } = useSuspenseQuery(organisationsQuery);
  const mine = staffOrganisations(me);
  const organisations = allOrganisations.filter((o) => mine === null || mine.includes(o.id));
  const [organisationId, setOrganisationId] = useState(organisations[0]?.id ?? "");
  const [form, setForm] = useState<CourseForm>(EMPTY);
  const [schedule, setSchedule] = useState<ScheduleForm>(() => ({ ...emptySchedule(today()), repeat: "weekly" }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const set = <K extends keyof CourseForm>(field: K, value: CourseForm[K]) =>
    setForm((f) => ({ ...f, [field]: value }));

  const create = useMutation({
    mutationFn: (input: CourseInput) => unwrap(api.courses.$post({ query: {}, json: input })),
    onSuccess: async (course) => {
      queryClient.setQueryData(["courses", course.id], course);
      await queryClient.invalidateQueries({ queryKey: ["staff", "courses"] });
      await queryClient.invalidateQueries({ queryKey: ["courses", "list"] });
      await navigate({ to: "/staff/courses/$courseId", params: { courseId: course.id } });
    },
  });

  const number = (text: string) => (text.trim() === "" ? null : Number(text));
  const parsed = CourseInput.safeParse({
    organisationId,
    title: form.title,
    description: form.description,
    category: form.category,
    mode: form.mode,
    placeText: form.mode === "online" ? null : form.placeText.trim() || null,
    onlineLink: form.mode === "in_person" ? null : form.onlineLink.trim() || null,
    eligibility: form.eligibility,
    minAge: number(form.minAge),
    priceFen: Math.round(Number(form.fee || "0") * 100),
    seats: number(form.seats),
    waitlist: form.waitlist,
    completionPercent: number(form.completionPercent),
    certificate: form.certificate,
    contact: form.contact,
    schedule: scheduleOf(schedule, form.skipDates),
  });
  const planned = parsed.success ? sessionTimes(parsed.data.schedule) : null;
  const first = planned?.times[0];
  const last = planned?.times.at(-1);

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = parsed.success ? {} : fieldErrors(parsed.error);
    if (planned?.problem || (first && first.startsAt <= Date.now())) problems.schedule = "schedule";
    setErrors(problems);
    if (!parsed.success || Object.keys(problems).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    create.mutate(parsed.data);
  }

  const invalid = (key: string) => (errors[key] ? t("staffCourses.fieldInvalid") : undefined);
  return (
    <>
      <p>
        <Link to="/staff/courses" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffCourses.back")}
        </Link>
      </p>
      <PageHeading title={t("staffCourses.newTitle")} lead={t("staffCourses.newLead")} />
      <form ref={formRef} className="card form" onSubmit={submit} noValidate>
        <SelectField
          label={t("staffCourses.organisation")}
          value={organisationId}
          options={organisations.map((o) => ({ value: o.id, label: o.name }))}
          onChange={(e) => setOrganisationId(e.target.value)}
        />
        <TextField
          label={t("staffCourses.courseTitle")}
          value={form.title}
          maxLength={80}
          error={invalid("title")}
          onChange={(e) => set("title", e.target.value)}
        />
        <SelectField
          label={t("staffCourses.category")}
          value={form.category}
          placeholder={t("staffJobs.chooseCategory")}
          error={invalid("category")}
          options={COURSE_CATEGORIES.map((c) => ({ value: c, label: t(`courseCategory.${c}`) }))}
          onChange={(e) => set("category", e.target.value)}
        />
        <TextAreaField
          label={t("staffCourses.description")}
          optional
          rows={4}
          maxLength={4000}
          value={form.description}
          onChange={(e) => set("description", e.target.value)}
        />
        <SelectField
          label={t("courses.mode")}
          value={form.mode}
          options={COURSE_MODES.map((m) => ({ value: m, label: t(`courseMode.${m}`) }))}
          onChange={(e) => set("mode", e.target.value)}
        />
        {form.mode !== "online" ? (
          <TextField
            label={t("staffCourses.placeText")}
            value={form.placeText}
            maxLength={120}
            error={invalid("placeText")}
            onChange={(e) => set("placeText", e.target.value)}
          />
        ) : null}
        {form.mode !== "in_person" ? (
          <TextField
            label={t("staffCourses.onlineLink")}
            hint={t("staffCourses.onlineLinkHint")}
            type="url"
            value={form.onlineLink}
            error={invalid("onlineLink")}
            onChange={(e) => set("onlineLink", e.target.value)}
          />
        ) : null}
        <TextField
          label={t("staffCourses.eligibility")}
          optional
          value={form.eligibility}
          maxLength={200}
          onChange={(e) => set("eligibility", e.target.value)}
        />
        <div className="field-pair">
          <TextField
            label={t("staffCourses.minAge")}
            optional
            inputMode="numeric"
            value={form.minAge}
            error={invalid("minAge")}
            onChange={(e) => set("minAge", e.target.value)}
          />
          <TextField
            label={t("staffCourses.fee")}
            inputMode="decimal"
            value={form.fee}
            error={invalid("priceFen")}
            onChange={(e) => set("fee", e.target.value)}
          />
        </div>
        <div className="field-pair">
          <TextField
            label={t("staffCourses.seats")}
            inputMode="numeric"
            value={form.seats}
            error={invalid("seats")}
            onChange={(e) => set("seats", e.target.value)}
          />
          <TextField
            label={t("staffCourses.completionPercent")}
            inputMode="numeric"
            value={form.completionPercent}
            error={invalid("completionPercent")}
            onChange={(e) => set("completionPercent", e.target.value)}
          />
        </div>
        <Switch label={t("staffCourses.waitlist")} checked={form.waitlist} onChange={(on) => set("waitlist", on)} />
        <Switch
          label={t("staffCourses.certificate")}
          checked={form.certificate}
          onChange={(on) => set("certificate", on)}
        />
        <TextField
          label={t("staffCourses.contact")}
          value={form.contact}
          maxLength={100}
          error={invalid("contact")}
          onChange={(e) => set("contact", e.target.value)}
        />
        <ScheduleFields
          form={schedule}
          set={(patch) => setSchedule((s) => ({ ...s, ...patch }))}
          invalid={Boolean(errors.schedule)}
          multiDay={false}
        />
        {schedule.repeat !== "once" ? (
          <TextField
            label={t("staffCourses.skipDates")}
            hint={t("staffCourses.skipDatesHint")}
            optional
            value={form.skipDates}
            onChange={(e) => set("skipDates", e.target.value)}
          />
        ) : null}
        {first && last && !planned?.problem ? (
          <p className="notice notice--info" role="status">
            {t("staffCourses.sessionsPreview", {
              count: planned.times.length,
              first: formatWhen(locale, first.startsAt, first.endsAt),
              last: formatWhen(locale, last.startsAt, last.endsAt),
            })}
          </p>
        ) : null}
        {errors.schedule ? <p className="field__error">{t("staffCourses.scheduleInvalid")}</p> : null}
        {Object.keys(errors).length > 0 ? (
          <p className="field__error" role="alert">
            {t("staffCourses.invalid")}
          </p>
        ) : null}
        <ErrorNotice error={create.error} />
        <button type="submit" className="button button--block" disabled={create.isPending}>
          {t("staffCourses.publish")}
        </button>
      </form>
    </>
  );
}
