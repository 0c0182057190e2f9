import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { fieldErrors, focusFirstInvalid, TextAreaField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { JobDetails } from "../../../components/job-details";
import { PageHeading } from "../../../components/page";
import { ApiError, api, unwrap } from "../../../lib/api";
import { addDays, formatMoment } from "../../../lib/bookings";
import { today } from "../../../lib/calendar";
import { useT } from "../../../lib/i18n";
import { JOB_MAX_DAYS, type Job, JobPatch, jobQuery, validUntilProblem } from "../../../lib/jobs";
import { usePreferences } from "../../../lib/preferences";
import { communitiesQuery } from "../../../lib/queries";
import { ForbiddenError } from "../../../lib/roles";
import { JobFields, type JobForm, jobFormOf, jobInput } from "./-components/job-form";

export const Route = createFileRoute("/staff/jobs/$jobId")({
  beforeLoad: ({ context }) => {
    if (!context.sections.jobs) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await Promise.all([
        queryClient.ensureQueryData(jobQuery(params.jobId)),
        queryClient.ensureQueryData(communitiesQuery),
      ]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: StaffJobPage,
});

function StaffJobPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { jobId } = Route.useParams();
  const { me } = Route.useRouteContext();
  const { data: job } = useSuspenseQuery(jobQuery(jobId));
  const ownStaff = me.roles.some(
    (r) => (r.role === "org_staff" || r.role === "org_admin") && r.organisationId === job.organisationId,
  );
  return (
    <>
      <p>
        <Link to="/staff/jobs" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffJobs.back")}
        </Link>
      </p>
      <PageHeading title={job.position} lead={`${job.employer} · ${job.organisationName}`} />
      <div className="card stack" role="status">
        <p className="row">
          <span className={`badge badge--job-${job.status}`}>{t(`jobStatus.${job.status}`)}</span>
          {job.expired ? <span className="badge badge--muted">{t("jobs.expired")}</span> : null}
        </p>
        <p className="muted small">{t("staffJobs.submitted", { when: formatMoment(locale, job.submittedAt) })}</p>
        {job.reviewNote ? <p>{t("staffJobs.reviewNote", { note: job.reviewNote })}</p> : null}
        {job.expired ? <p>{t("staffJobs.expiredHint")}</p> : null}
        {job.status === "published" && !job.expired ? (
          <Link to="/jobs/$jobId" params={{ jobId }} className="button button--secondary button--small">
            {t("staffJobs.viewPublic")}
          </Link>
        ) : null}
      </div>
      {job.canReview && job.status === "pending" ? <Review job={job} /> : null}
      {job.canManage ? <Edit job={job} /> : <JobDetails job={job} />}
      {job.canManage && job.status !== "withdrawn" ? <Withdraw job={job} ownStaff={ownStaff} /> : null}
    </>
  );
}

function useJobWrite<T>(jobId: string, write: (input: T) => Promise<Job>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async (job) => {
      queryClient.setQueryData(["jobs", jobId], job);
      await queryClient.invalidateQueries({ queryKey: ["staff", "jobs"] });
      await queryClient.invalidateQueries({ queryKey: ["jobs", "list"] });
    },
  });
}

function Review({ job }: { job: Job }) {
  const t = useT();
  const [note, setNote] = useState("");
  const [noteMissing, setNoteMissing] = useState(false);
  const review = useJobWrite(job.id, (decision: "approve" | "reject") =>
    unwrap(
      api.jobs[":id"].review.$post({
        param: { id: job.id },
        query: {},
        json: { decision, submittedAt: job.submittedAt, ...(decision === "reject" ? { note: note.trim() } : {}) },
      }),
    ),
  );
  return (
    <section className="section" aria-labelledby="job-review-title">
      <h2 id="job-review-title">{t("staffJobs.reviewTitle")}</h2>
      <div className="card form">
        <JobDetails job={job} />
        <button
          type="button"
          className="button button--block"
          disabled={review.isPending}
          onClick={() => review.mutate("approve")}
        >
          {t("staffJobs.approve")}
        </button>
        <TextAreaField
          label={t("staffJobs.rejectReason")}
          rows={2}
          maxLength={200}
          value={note}
          error={noteMissing ? t("staffJobs.fieldInvalid") : undefined}
          onChange={(e) => setNote(e.target.value)}
        />
        <button
          type="button"
          className="button button--secondary button--block"
          disabled={review.isPending}
          onClick={() => {
            setNoteMissing(!note.trim());
            if (note.trim()) review.mutate("reject");
          }}
        >
          {t("staffJobs.reject")}
        </button>
        <ErrorNotice error={review.error} />
      </div>
    </section>
  );
}

/** Only what changed is sent: a new last day alone keeps a published posting up. */
function changedFields(job: Job, input: ReturnType<typeof jobInput>) {
  const before = jobInput(jobFormOf(job));
  const patch: Record<string, unknown> = {};
  // Compared as the server keeps them (trimmed): a stray space is no change to review.
  const same = (a: unknown, b: unknown) =>
    typeof a === "string" && typeof b === "string" ? a.trim() === b.trim() : a === b;
  for (const key of Object.keys(input) as Array<keyof typeof input>) {
    if (!same(input[key], before[key])) patch[key] = input[key];
  }
  if ("salaryMinFen" in patch || "salaryMaxFen" in patch || "salaryPeriod" in patch) {
    Object.assign(patch, {
      salaryMinFen: input.salaryMinFen,
      salaryMaxFen: input.salaryMaxFen,
      salaryPeriod: input.salaryPeriod,
    });
  }
  return patch;
}

function Edit({ job }: { job: Job }) {
  const t = useT();
  const [form, setForm] = useState<JobForm>(() => jobFormOf(job));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const save = useJobWrite(job.id, (patch: JobPatch) =>
    unwrap(api.jobs[":id"].$patch({ param: { id: job.id }, query: {}, json: patch })),
  );
  const patch = changedFields(job, jobInput(form));
  const onlyRenewal = Object.keys(patch).every((k) => k === "validUntil");

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const result = JobPatch.safeParse(patch);
    const problems = result.success ? {} : fieldErrors(result.error);
    if ("validUntil" in patch && validUntilProblem(form.validUntil, today())) problems.validUntil = "range";
    setErrors(problems);
    if (!result.success || Object.keys(problems).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    save.mutate(result.data, {
      onSuccess: (after) => {
        setForm(jobFormOf(after));
        setSaved(true);
      },
    });
  }

  return (
    <section className="section" aria-labelledby="job-edit-title">
      <h2 id="job-edit-title">{t("staffJobs.editTitle")}</h2>
      <form ref={formRef} className="card form" onSubmit={submit} noValidate>
        <p className="muted">{t("staffJobs.renewHint")}</p>
        <JobFields
          form={form}
          set={(field, value) => {
            setSaved(false);
            setForm((f) => ({ ...f, [field]: value }));
          }}
          errors={errors}
          maxDate={addDays(today(), JOB_MAX_DAYS)}
        />
        {Object.keys(errors).length > 0 ? (
          <p className="field__error" role="alert">
            {t("staffJobs.invalid")}
          </p>
        ) : null}
        <ErrorNotice error={save.error} />
        {saved ? <SuccessNotice>{t("staffJobs.saved")}</SuccessNotice> : null}
        <button
          type="submit"
          className="button button--block"
          disabled={save.isPending || Object.keys(patch).length === 0}
        >
          {t(
            job.canReview || (job.status === "published" && onlyRenewal) ? "staffJobs.save" : "staffJobs.saveResubmit",
          )}
        </button>
      </form>
    </section>
  );
}

function Withdraw({ job, ownStaff }: { job: Job; ownStaff: boolean }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const [reasonMissing, setReasonMissing] = useState(false);
  const withdraw = useJobWrite(job.id, (why: string | undefined) =>
    unwrap(api.jobs[":id"].withdraw.$post({ param: { id: job.id }, query: {}, json: why ? { reason: why } : {} })),
  );
  return (
    <section className="section" aria-labelledby="job-withdraw-title">
      <h2 id="job-withdraw-title">{ownStaff ? t("staffJobs.withdraw") : t("staffJobs.takeDown")}</h2>
      <div className="card form">
        {ownStaff ? (
          <ConfirmAction
            label={t("staffJobs.withdraw")}
            question={t("staffJobs.withdrawQuestion")}
            confirmLabel={t("staffJobs.withdraw")}
            busy={withdraw.isPending}
            onConfirm={() => withdraw.mutate(undefined)}
          />
        ) : (
          <>
            <TextAreaField
              label={t("staffJobs.takeDownReason")}
              rows={2}
              maxLength={200}
              value={reason}
              error={reasonMissing ? t("staffJobs.fieldInvalid") : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
            <button
              type="button"
              className="button button--danger button--block"
              disabled={withdraw.isPending}
              onClick={() => {
                setReasonMissing(!reason.trim());
                if (reason.trim()) withdraw.mutate(reason.trim());
              }}
            >
              {t("staffJobs.takeDown")}
            </button>
          </>
        )}
        <ErrorNotice error={withdraw.error} />
      </div>
    </section>
  );
}
