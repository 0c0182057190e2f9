import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { fieldErrors, focusFirstInvalid, SelectField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { addDays } from "../../../lib/bookings";
import { today } from "../../../lib/calendar";
import { useT } from "../../../lib/i18n";
import { JOB_MAX_DAYS, JobCreate, validUntilProblem } from "../../../lib/jobs";
import { communitiesQuery, organisationsQuery } from "../../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../../lib/roles";
import { emptyJobForm, JobFields, type JobForm, jobInput } from "./-components/job-form";

export const Route = createFileRoute("/staff/jobs/new")({
  beforeLoad: ({ context }) => {
    if (!context.sections.jobs) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) =>
    Promise.all([queryClient.ensureQueryData(organisationsQuery), queryClient.ensureQueryData(communitiesQuery)]),
  component: NewJobPage,
});

function NewJobPage() {
  const t = useT();
  const { me, sections } = Route.useRouteContext();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: allOrganisations } = useSuspenseQuery(organisationsQuery);
  const mine = staffOrganisations(me);
  const organisations = allOrganisations.filter((o) => mine === null || mine.includes(o.id));
  const [organisationId, setOrganisationId] = useState(organisations[0]?.id ?? "");
  const [form, setForm] = useState<JobForm>(() => ({
    ...emptyJobForm(addDays(today(), 30)),
    employer: organisations[0]?.name ?? "",
    communityId: organisations[0]?.communityId ?? "",
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);

  const create = useMutation({
    mutationFn: (input: JobCreate) => unwrap(api.jobs.$post({ query: {}, json: input })),
    onSuccess: async (job) => {
      queryClient.setQueryData(["jobs", job.id], job);
      await queryClient.invalidateQueries({ queryKey: ["staff", "jobs"] });
      await queryClient.invalidateQueries({ queryKey: ["jobs", "list"] });
      await navigate({ to: "/staff/jobs/$jobId", params: { jobId: job.id } });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = JobCreate.safeParse({ ...jobInput(form), organisationId });
    const problems = result.success ? {} : fieldErrors(result.error);
    if (validUntilProblem(form.validUntil, today())) problems.validUntil = "range";
    setErrors(problems);
    if (!result.success || Object.keys(problems).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    create.mutate(result.data);
  }

  return (
    <>
      <p>
        <Link to="/staff/jobs" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffJobs.back")}
        </Link>
      </p>
      <PageHeading
        title={t("staffJobs.newTitle")}
        lead={t(sections.streetAdmin ? "staffJobs.newLeadAdmin" : "staffJobs.newLead")}
      />
      <form ref={formRef} className="card form" onSubmit={submit} noValidate>
        <SelectField
          label={t("staffJobs.organisation")}
          value={organisationId}
          options={organisations.map((o) => ({ value: o.id, label: o.name }))}
          onChange={(e) => {
            const next = organisations.find((o) => o.id === e.target.value);
            setOrganisationId(e.target.value);
            // The organisation's own name and community, unless already typed over.
            setForm((f) => ({
              ...f,
              employer:
                organisations.some((o) => o.name === f.employer) || !f.employer ? (next?.name ?? "") : f.employer,
              communityId: f.communityId || (next?.communityId ?? ""),
            }));
          }}
        />
        <JobFields
          form={form}
          set={(field, value) => setForm((f) => ({ ...f, [field]: value }))}
          errors={errors}
          maxDate={addDays(today(), JOB_MAX_DAYS)}
        />
        {Object.keys(errors).length > 0 ? (
          <p className="field__error" role="alert">
            {t("staffJobs.invalid")}
          </p>
        ) : null}
        <ErrorNotice error={create.error} />
        <button type="submit" className="button button--block" disabled={create.isPending}>
          {t(sections.streetAdmin ? "staffJobs.publish" : "staffJobs.submit")}
        </button>
      </form>
    </>
  );
}
