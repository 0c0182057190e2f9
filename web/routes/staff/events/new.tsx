import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { EventInput } from "../../../../worker/features/events/events.schema";
import { ErrorNotice } from "../../../components/error-notice";
import { EventDetails } from "../../../components/event-details";
import { focusFirstInvalid, SelectField, Switch, TextField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { type Event, expandForPreview, today } from "../../../lib/events";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { communitiesQuery, facilityQuery, organisationsQuery } from "../../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../../lib/roles";
import {
  DetailsFields,
  type DetailsForm,
  detailsInput,
  EMPTY_DETAILS,
  emptySchedule,
  fieldErrors,
  ScheduleFields,
  type ScheduleForm,
  scheduleInput,
} from "./-components/event-form";

export const Route = createFileRoute("/staff/events/new")({
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) =>
    Promise.all([queryClient.ensureQueryData(organisationsQuery), queryClient.ensureQueryData(communitiesQuery)]),
  component: NewEventPage,
});

function NewEventPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { me } = Route.useRouteContext();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: allOrganisations } = useSuspenseQuery(organisationsQuery);
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const mine = staffOrganisations(me);
  const organisations = allOrganisations.filter((o) => mine === null || mine.includes(o.id));
  const [organisationId, setOrganisationId] = useState(organisations[0]?.id ?? "");
  const organisation = organisations.find((o) => o.id === organisationId);
  const [communityId, setCommunityId] = useState(organisation?.communityId ?? "");
  const [details, setDetails] = useState<DetailsForm>(EMPTY_DETAILS);
  const facility = useQuery({ ...facilityQuery(details.facilityId), enabled: details.facilityId !== "" });
  const [schedule, setSchedule] = useState<ScheduleForm>(emptySchedule(today()));
  const [signup, setSignup] = useState(true);
  const [capacity, setCapacity] = useState("30");
  const [waitlist, setWaitlist] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Event | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const committee = organisation?.type === "community_committee";

  const create = useMutation({
    mutationFn: (input: EventInput) => unwrap(api.events.$post({ query: {}, json: input })),
    onSuccess: async (event) => {
      queryClient.setQueryData(["events", event.id], event);
      await queryClient.invalidateQueries({ queryKey: ["staff", "events"] });
      await navigate({ to: "/staff/events/$eventId", params: { eventId: event.id } });
    },
  });

  function parsed() {
    return EventInput.safeParse({
      ...detailsInput(details),
      organisationId,
      communityId: committee ? null : communityId || null,
      signup,
      capacity: signup ? Number(capacity) : null,
      waitlist,
      schedule: scheduleInput(schedule),
    });
  }

  function check(event: FormEvent) {
    event.preventDefault();
    const result = parsed();
    const problems: Record<string, string> = result.success ? {} : fieldErrors(result.error);
    // The API asks the same: only the street office publishes for the whole street.
    if (!committee && organisation?.type !== "street_office" && !communityId) problems.communityId = "required";
    // Dates already over are not made (the API says the same): a schedule left with none is wrong.
    if (
      result.success &&
      expandForPreview(result.data, { organisationName: "", communityName: null }).occurrences.length === 0
    ) {
      problems.schedule = "none ahead";
    }
    setErrors(problems);
    if (!result.success || Object.keys(problems).length > 0) {
      setPreview(null);
      focusFirstInvalid(form.current);
      return;
    }
    const community = communities.find((c) => c.id === (committee ? organisation?.communityId : communityId));
    setPreview(
      expandForPreview(result.data, {
        organisationName: organisation?.name ?? "",
        communityName: community ? (locale === "en" ? community.nameEn : community.name) : null,
        facility: facility.data,
      }),
    );
    requestAnimationFrame(() => previewHeading.current?.focus());
  }

  return (
    <>
      <p>
        <Link to="/staff/events" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffEvents.back")}
        </Link>
      </p>
      <PageHeading title={t("staffEvents.newTitle")} lead={t("staffEvents.newLead")} />
      {preview ? (
        <section className="section" aria-labelledby="preview-title">
          <h2 id="preview-title" ref={previewHeading} tabIndex={-1}>
            {t("staffEvents.previewTitle")}
          </h2>
          <p className="muted">{t("staffEvents.previewLead", { count: preview.occurrences.length })}</p>
          <EventDetails event={preview} />
          <ErrorNotice error={create.error} />
          <div className="row">
            <button
              type="button"
              className="button"
              disabled={create.isPending}
              onClick={() => {
                const result = parsed();
                if (result.success) create.mutate(result.data);
              }}
            >
              {t("staffEvents.saveDraft")}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setPreview(null)}>
              {t("staffEvents.backToEdit")}
            </button>
          </div>
          <p className="muted small">{t("staffEvents.saveHint")}</p>
        </section>
      ) : (
        <form ref={form} className="card form" onSubmit={check} noValidate>
          <SelectField
            label={t("staffEvents.organisation")}
            value={organisationId}
            options={organisations.map((o) => ({ value: o.id, label: o.name }))}
            onChange={(e) => {
              setOrganisationId(e.target.value);
              setCommunityId(organisations.find((o) => o.id === e.target.value)?.communityId ?? "");
              setDetails((d) => ({ ...d, facilityId: "" }));
            }}
          />
          {committee ? null : (
            <SelectField
              label={t("staffEvents.community")}
              hint={t(
                organisation?.type === "street_office"
                  ? "staffEvents.communityStreetHint"
                  : "staffEvents.communityHint",
              )}
              value={communityId}
              placeholder={
                organisation?.type === "street_office" ? t("events.streetWide") : t("staffEvents.chooseCommunity")
              }
              error={errors.communityId ? t("staffEvents.communityRequired") : undefined}
              options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
              onChange={(e) => {
                setCommunityId(e.target.value);
                // A venue is chosen among the community's: another community, another choice.
                setDetails((d) => ({ ...d, facilityId: "" }));
              }}
            />
          )}
          <DetailsFields
            communityId={(committee ? organisation?.communityId : communityId) || null}
            form={details}
            set={(field, value) => setDetails((d) => ({ ...d, [field]: value }))}
            errors={errors}
          />
          <Switch
            label={t("eventForm.signup")}
            hint={t("eventForm.signupHint")}
            checked={signup}
            onChange={setSignup}
          />
          {signup ? (
            <>
              <TextField
                label={t("eventForm.capacity")}
                inputMode="numeric"
                value={capacity}
                error={errors.capacity ? t("eventForm.fieldInvalid") : undefined}
                onChange={(e) => setCapacity(e.target.value)}
              />
              <Switch label={t("eventForm.waitlist")} checked={waitlist} onChange={setWaitlist} />
            </>
          ) : null}
          <ScheduleFields
            form={schedule}
            set={(patch) => setSchedule((s) => ({ ...s, ...patch }))}
            invalid={Boolean(errors.schedule)}
          />
          {Object.keys(errors).length > 0 ? (
            <p className="field__error" role="alert">
              {t("eventForm.invalid")}
            </p>
          ) : null}
          <button type="submit" className="button button--block">
            {t("staffEvents.preview")}
          </button>
        </form>
      )}
    </>
  );
}
