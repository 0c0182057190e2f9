import { queryOptions, useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { RecordEntry } from "../../../worker/features/volunteers/service-records.schema";
import { VOLUNTEER_SKILLS } from "../../../worker/features/volunteers/volunteers.schema";
import { fromShanghai } from "../../../worker/lib/shanghai";
import { ConfirmAction } from "../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { CheckboxGroup, focusFirstInvalid, SelectField, TextAreaField, TextField } from "../../components/fields";
import { FileDownload } from "../../components/file-download";
import { PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import { formatWhen, shanghaiDate } from "../../lib/bookings";
import { formatDate, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { organisationsQuery } from "../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../lib/roles";
import {
  hoursText,
  optionLabel,
  staffCertificatesQuery,
  staffServiceRecordsQuery,
  teamsQuery,
} from "../../lib/volunteers";
import { FindPerson } from "./-components/find-person";

export const Route = createFileRoute("/staff/volunteer-work")({
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) =>
    Promise.all([
      queryClient.ensureQueryData(staffServiceRecordsQuery("pending")),
      queryClient.ensureQueryData(organisationsQuery),
      queryClient.ensureQueryData(teamsQuery),
      queryClient.ensureQueryData(staffCertificatesQuery),
      queryClient.ensureQueryData(supportableOfferingsQuery),
    ]),
  component: VolunteerWorkPage,
});

/** Services and events (of any organisation) a volunteer shift may help with. */
const supportableOfferingsQuery = queryOptions({
  queryKey: ["offerings", "supportable"],
  queryFn: async () =>
    (await unwrap(api.offerings.$get({ query: {} }))).offerings.filter((o) => o.kind !== "volunteer_shift"),
});

/** The organisations this staff member works for (all for a street admin), with names. */
function useMyOrganisations() {
  const { me } = Route.useRouteContext();
  const { data: organisations } = useSuspenseQuery(organisationsQuery);
  const mine = staffOrganisations(me);
  return organisations.filter((o) => mine === null || mine.includes(o.id));
}

function VolunteerWorkPage() {
  const t = useT();
  return (
    <>
      <PageHeading title={t("volunteerWork.title")} lead={t("volunteerWork.lead")} />
      <PendingRecords />
      <Export />
      <PublishShift />
      <PaperEntry />
      <Certificates />
    </>
  );
}

/** Service records waiting for this organisation's approval (谁记录谁证明). */
function PendingRecords() {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { data: records } = useSuspenseQuery(staffServiceRecordsQuery("pending"));
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["staff", "service-records"] });
  const approve = useMutation({
    mutationFn: (id: string) => unwrap(api["service-records"][":id"].approve.$post({ param: { id }, query: {} })),
    onSuccess: refresh,
  });
  const reject = useMutation({
    mutationFn: ({ id, why }: { id: string; why: string }) =>
      unwrap(api["service-records"][":id"].reject.$post({ param: { id }, query: {}, json: { reason: why } })),
    onSuccess: () => {
      setRejecting(null);
      setReason("");
      return refresh();
    },
  });
  return (
    <section className="section" aria-labelledby="pending-records-title">
      <h2 id="pending-records-title">{t("volunteerWork.pending", { count: records.length })}</h2>
      <ErrorNotice error={approve.error ?? reject.error} messages={{ CONFLICT: "volunteerWork.conflict" }} />
      {records.length === 0 ? (
        <p className="muted">{t("volunteerWork.nonePending")}</p>
      ) : (
        <ul className="list">
          {records.map((r) => (
            <li key={r.id} className="list__item stack">
              <span className="list__title">
                {r.volunteerName} · {r.volunteerNumber}
              </span>
              <span>
                {r.title} · {formatWhen(locale, r.startedAt, r.endedAt ?? r.startedAt)}
              </span>
              <span className="strong">{t("hours.hours", { hours: hoursText(r.minutes ?? 0) })}</span>
              {r.autoClosed ? <span className="badge">{t("volunteerWork.autoClosed")}</span> : null}
              {r.note ? <span className="muted">{r.note}</span> : null}
              <ServedPerson record={r} />
              {rejecting === r.id ? (
                <form
                  className="form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (reason.trim().length >= 2) reject.mutate({ id: r.id, why: reason.trim() });
                  }}
                >
                  <TextField
                    label={t("volunteerWork.rejectReason")}
                    value={reason}
                    maxLength={300}
                    onChange={(e) => setReason(e.target.value)}
                  />
                  <div className="row">
                    <button type="submit" className="button button--danger button--small" disabled={reject.isPending}>
                      {t("volunteerWork.rejectConfirm")}
                    </button>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setRejecting(null)}
                    >
                      {t("common.goBack")}
                    </button>
                  </div>
                </form>
              ) : (
                <span className="row">
                  <button
                    type="button"
                    className="button button--small"
                    disabled={approve.isPending}
                    onClick={() => approve.mutate(r.id)}
                  >
                    {t("volunteerWork.approve", { name: r.volunteerName })}
                  </button>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => setRejecting(r.id)}
                  >
                    {t("volunteerWork.reject", { name: r.volunteerName })}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Whom a service was for: named by staff (found by name and phone or birth year), so they can rate it. */
function ServedPerson({ record }: { record: { id: string; servedPersonName: string | null; volunteerName: string } }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [finding, setFinding] = useState(false);
  const name = useMutation({
    mutationFn: (personId: string | null) =>
      unwrap(
        api["service-records"][":id"]["served-person"].$put({
          param: { id: record.id },
          query: {},
          json: { personId },
        }),
      ),
    onSuccess: () => {
      setFinding(false);
      return queryClient.invalidateQueries({ queryKey: ["staff", "service-records"] });
    },
  });
  return (
    <div className="stack">
      <span>
        {t("volunteerWork.servedPerson")}
        {record.servedPersonName ?? t("volunteerWork.servedNobody")}
      </span>
      <ErrorNotice error={name.error} />
      {finding ? (
        <>
          <FindPerson
            onChoose={(person) => name.mutate(person.id)}
            chooseLabel={(person) => t("volunteerWork.servedChoose", { name: person })}
          />
          <button type="button" className="button button--secondary button--small" onClick={() => setFinding(false)}>
            {t("common.goBack")}
          </button>
        </>
      ) : (
        <button type="button" className="button button--secondary button--small" onClick={() => setFinding(true)}>
          {t("volunteerWork.servedSet", { name: record.volunteerName })}
        </button>
      )}
    </div>
  );
}

/** A volunteer opportunity (an offering of kind volunteer_shift); its times are added on its schedule page. */
function PublishShift() {
  const t = useT();
  const navigate = useNavigate();
  const organisations = useMyOrganisations();
  const { data: teams } = useSuspenseQuery(teamsQuery);
  const [organisationId, setOrganisationId] = useState(organisations[0]?.id ?? "");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [category, setCategory] = useState("");
  const [skills, setSkills] = useState<string[]>([]);
  const [teamId, setTeamId] = useState("");
  const [supportsOfferingId, setSupports] = useState("");
  const { data: supportable } = useSuspenseQuery(supportableOfferingsQuery);
  const [invalid, setInvalid] = useState(false);
  const publish = useMutation({
    mutationFn: () =>
      unwrap(
        api.offerings.$post({
          query: {},
          json: {
            organisationId,
            kind: "volunteer_shift",
            title: title.trim(),
            description: description.trim(),
            category: category || null,
            skills: skills as (typeof VOLUNTEER_SKILLS)[number][],
            teamId: teamId || null,
            supportsOfferingId: supportsOfferingId || null,
            waitlist: false,
          },
        }),
      ),
    onSuccess: (offering) => navigate({ to: "/staff/offerings/$offeringId", params: { offeringId: offering.id } }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const bad = !title.trim() || !organisationId;
    setInvalid(bad);
    focusFirstInvalid(event.currentTarget);
    if (!bad) publish.mutate();
  }
  const skillChoices = VOLUNTEER_SKILLS.map((s) => ({ value: s, label: optionLabel(t, "skill", s) }));
  return (
    <section className="section" aria-labelledby="publish-shift-title">
      <h2 id="publish-shift-title">{t("volunteerWork.publish")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p>{t("volunteerWork.publishHelp")}</p>
        {organisations.length > 1 ? (
          <SelectField
            label={t("volunteerWork.organisation")}
            value={organisationId}
            options={organisations.map((o) => ({ value: o.id, label: o.name }))}
            onChange={(e) => {
              setOrganisationId(e.target.value);
              // Teams belong to one organisation: the choice made for another does not carry over.
              setTeamId("");
            }}
          />
        ) : null}
        <TextField
          label={t("volunteerWork.shiftTitle")}
          maxLength={80}
          value={title}
          error={invalid && !title.trim() ? t("volunteerWork.titleNeeded") : undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
        <TextAreaField
          label={t("volunteerWork.description")}
          optional
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <SelectField
          label={t("volunteerWork.category")}
          value={category}
          placeholder={t("volunteer.choose")}
          options={skillChoices}
          onChange={(e) => setCategory(e.target.value)}
        />
        <CheckboxGroup
          legend={t("volunteerWork.skills")}
          name="skills"
          inline
          options={skillChoices}
          value={skills}
          onChange={setSkills}
        />
        <SelectField
          label={t("volunteerWork.team")}
          value={teamId}
          placeholder={t("volunteerWork.anyVolunteer")}
          options={teams
            .filter((tm) => tm.organisationId === organisationId)
            .map((tm) => ({ value: tm.id, label: tm.name }))}
          onChange={(e) => setTeamId(e.target.value)}
        />
        <SelectField
          label={t("volunteerWork.supports")}
          hint={t("volunteerWork.supportsHint")}
          optional
          value={supportsOfferingId}
          placeholder={t("volunteerWork.supportsNone")}
          options={supportable.map((o) => ({ value: o.id, label: `${o.title} · ${o.organisationName}` }))}
          onChange={(e) => setSupports(e.target.value)}
        />
        <ErrorNotice error={publish.error} />
        <button type="submit" className="button button--block" disabled={publish.isPending}>
          {t("volunteerWork.publishButton")}
        </button>
      </form>
    </section>
  );
}

/** A record from a paper sign-in sheet, by volunteer number. */
function PaperEntry() {
  const t = useT();
  const organisations = useMyOrganisations();
  const queryClient = useQueryClient();
  const today = shanghaiDate(Date.now());
  const [organisationId, setOrganisationId] = useState(organisations[0]?.id ?? "");
  const [number, setNumber] = useState("");
  const [title, setTitle] = useState("");
  const [date, setDate] = useState(today);
  const [from, setFrom] = useState("09:00");
  const [to, setTo] = useState("11:00");
  const [note, setNote] = useState("");
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const enter = useMutation({
    mutationFn: (input: RecordEntry) => unwrap(api["service-records"].$post({ query: {}, json: input })),
    onSuccess: () => {
      setNumber("");
      setNote("");
      return queryClient.invalidateQueries({ queryKey: ["staff", "service-records"] });
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    enter.reset();
    const parsed = RecordEntry.safeParse({
      number,
      organisationId,
      title,
      startedAt: date && from ? fromShanghai(date, from) : 0,
      endedAt: date && to ? fromShanghai(date, to) : 0,
      ...(note.trim() ? { note } : {}),
    });
    setInvalid(new Set(parsed.error?.issues.map((i) => String(i.path[0])) ?? []));
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) enter.mutate(parsed.data);
  }
  return (
    <section className="section" aria-labelledby="paper-entry-title">
      <h2 id="paper-entry-title">{t("volunteerWork.paper")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p>{t("volunteerWork.paperHelp")}</p>
        {organisations.length > 1 ? (
          <SelectField
            label={t("volunteerWork.organisation")}
            value={organisationId}
            options={organisations.map((o) => ({ value: o.id, label: o.name }))}
            onChange={(e) => setOrganisationId(e.target.value)}
          />
        ) : null}
        <TextField
          label={t("volunteer.number")}
          hint={t("volunteerWork.numberHint")}
          maxLength={12}
          value={number}
          error={invalid.has("number") ? t("volunteerWork.numberInvalid") : undefined}
          onChange={(e) => setNumber(e.target.value)}
        />
        <TextField
          label={t("volunteerWork.serviceTitle")}
          maxLength={80}
          value={title}
          error={invalid.has("title") ? t("volunteerWork.titleNeeded") : undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
        <TextField
          label={t("volunteerWork.date")}
          type="date"
          max={today}
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <div className="row">
          <TextField
            label={t("volunteerWork.from")}
            type="time"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField
            label={t("volunteerWork.to")}
            type="time"
            value={to}
            error={invalid.has("endedAt") || invalid.has("startedAt") ? t("volunteerWork.timesInvalid") : undefined}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        <TextAreaField
          label={t("volunteerWork.note")}
          optional
          rows={2}
          maxLength={300}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <ErrorNotice error={enter.error} messages={{ NOT_FOUND: "volunteerWork.unknownNumber" }} />
        {enter.isSuccess ? (
          <SuccessNotice>
            {t("volunteerWork.entered", {
              name: enter.data.volunteerName,
              hours: hoursText(enter.data.minutes ?? 0),
            })}
          </SuccessNotice>
        ) : null}
        <button type="submit" className="button button--block" disabled={enter.isPending}>
          {t("volunteerWork.enter")}
        </button>
      </form>
    </section>
  );
}

/** The records as a spreadsheet (this year by default; at most 366 days). */
function Export() {
  const t = useT();
  const today = shanghaiDate(Date.now());
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  return (
    <section className="section" aria-labelledby="records-export-title">
      <h2 id="records-export-title">{t("volunteerWork.export")}</h2>
      <div className="card form">
        <TextField label={t("certificates.from")} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t("certificates.to")} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <FileDownload
          className="button button--secondary"
          href={`/api/staff/service-records.csv?from=${from}&to=${to}`}
          label={t("volunteerWork.exportButton")}
          fallbackName={`service-records-${from}-${to}.csv`}
        />
      </div>
    </section>
  );
}

/** Certificates this organisation issued; revoking one is asked twice and needs a reason. */
function Certificates() {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { data: certificates } = useSuspenseQuery(staffCertificatesQuery);
  const [reason, setReason] = useState("");
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.certificates[":id"].revoke.$post({ param: { id }, query: {}, json: { reason: reason.trim() } })),
    onSuccess: () => {
      setReason("");
      return queryClient.invalidateQueries({ queryKey: staffCertificatesQuery.queryKey });
    },
  });
  return (
    <section className="section" aria-labelledby="issued-certificates-title">
      <h2 id="issued-certificates-title">{t("volunteerWork.certificates")}</h2>
      {certificates.length === 0 ? (
        <p className="muted">{t("volunteerWork.noCertificates")}</p>
      ) : (
        <>
          <TextField
            label={t("volunteerWork.revokeReason")}
            maxLength={300}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <ErrorNotice error={revoke.error} messages={{ VALIDATION_FAILED: "volunteerWork.revokeReasonNeeded" }} />
          <ul className="list">
            {certificates.map((c) => (
              <li key={c.id} className="list__item stack">
                <span className="list__title">
                  {c.number} · {t(`certificate.status.${c.status}`)}
                </span>
                <span>
                  {c.realName} · {c.volunteerNumber} · {t("hours.hours", { hours: hoursText(c.minutes) })}
                </span>
                <span className="muted">
                  {formatDate(locale, c.periodFrom)} – {formatDate(locale, c.periodTo)}
                </span>
                {c.status === "valid" ? (
                  <ConfirmAction
                    label={t("volunteerWork.revoke", { number: c.number })}
                    question={t("volunteerWork.revokeQuestion", { number: c.number })}
                    confirmLabel={t("volunteerWork.revokeConfirm")}
                    busy={revoke.isPending}
                    onConfirm={() => revoke.mutate(c.id)}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
