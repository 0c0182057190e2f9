import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { type FormEvent, type RefObject, useRef, useState } from "react";
import type { z } from "zod";
import { EventPatch, OccurrencesInput } from "../../../../worker/features/events/events.schema";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { EventDetails } from "../../../components/event-details";
import { RadioGroup, TextField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { ApiError, api, unwrap } from "../../../lib/api";
import { formatDay, formatTime, formatTimeRange, groupByDay, shanghaiDate } from "../../../lib/bookings";
import { type Event, eventQuery, today } from "../../../lib/events";
import { type MessageKey, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import {
  DetailsFields,
  type DetailsForm,
  detailsInput,
  detailsOf,
  emptySchedule,
  fieldErrors,
  ScheduleFields,
  type ScheduleForm,
  scheduleInput,
} from "./-components/event-form";

export const Route = createFileRoute("/staff/events/$eventId")({
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await queryClient.ensureQueryData(eventQuery(params.eventId));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: StaffEventPage,
});

const EVENT_ERRORS: Partial<Record<string, MessageKey>> = {
  CONFLICT: "staffEvent.conflict",
  FORBIDDEN: "staffEvent.forbidden",
  SLOT_TIME_TAKEN: "staffEvent.timeTaken",
};

/** Writes the event the API answered into the cache, and the lists, calendars and times read it again. */
function useRefreshEvent(eventId: string) {
  const queryClient = useQueryClient();
  return async (event: Event) => {
    queryClient.setQueryData(eventQuery(eventId).queryKey, event);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ["staff", "events"] }),
      queryClient.invalidateQueries({ queryKey: ["events", "calendar"] }),
      queryClient.invalidateQueries({ queryKey: ["offerings", eventId] }),
    ]);
  };
}

/**
 * A workflow action on the event; afterwards the focus goes to `focusAfter` (the button pressed is
 * gone, or no longer the next step).
 */
function useEventAction<I>(
  eventId: string,
  call: (input: I) => Promise<Event>,
  focusAfter?: RefObject<HTMLElement | null>,
) {
  const refresh = useRefreshEvent(eventId);
  return useMutation({
    mutationFn: call,
    onSuccess: async (event) => {
      await refresh(event);
      requestAnimationFrame(() => focusAfter?.current?.focus());
    },
  });
}

function StaffEventPage() {
  const t = useT();
  const { eventId } = Route.useParams();
  const { data: event } = useSuspenseQuery(eventQuery(eventId));
  const statusHeading = useRef<HTMLHeadingElement>(null);
  return (
    <>
      <p>
        <Link to="/staff/events" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffEvents.back")}
        </Link>
      </p>
      <PageHeading title={event.title} lead={event.organisationName} />
      <Workflow event={event} heading={statusHeading} />
      <section className="section" aria-labelledby="event-preview-title">
        <h2 id="event-preview-title">{t("staffEvent.asResidentsSee")}</h2>
        <EventDetails event={event} />
        {event.publishedAt !== null ? (
          <p>
            <Link to="/events/$eventId" params={{ eventId }} className="button button--secondary button--small">
              {t("staffEvent.publicPage")}
            </Link>
          </p>
        ) : null}
      </section>
      <Occurrences event={event} />
      {event.may.edit ? <AddDates event={event} /> : null}
      {event.may.edit ? <EditDetails event={event} /> : null}
      {event.may.cancel ? <CancelEvent event={event} focusAfter={statusHeading} /> : null}
    </>
  );
}

/** Where the event stands, and the step its reader may take: submit or publish, approve or send back. */
function Workflow({ event, heading }: { event: Event; heading: RefObject<HTMLHeadingElement | null> }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const [reasonMissing, setReasonMissing] = useState(false);
  const post = (path: "submit" | "approve") =>
    unwrap(api.events[":id"][path].$post({ param: { id: event.id }, query: {} }));
  const submit = useEventAction(event.id, () => post("submit"), heading);
  const approve = useEventAction(event.id, () => post("approve"), heading);
  const sendBack = useEventAction(
    event.id,
    (r: string) =>
      unwrap(api.events[":id"]["send-back"].$post({ param: { id: event.id }, query: {}, json: { reason: r } })),
    heading,
  );

  function back(e: FormEvent) {
    e.preventDefault();
    const trimmed = reason.trim();
    setReasonMissing(!trimmed);
    if (trimmed) sendBack.mutate(trimmed);
  }

  return (
    <section className="section" aria-labelledby="workflow-title">
      <h2 id="workflow-title" ref={heading} tabIndex={-1}>
        {t("staffEvent.workflowTitle")}
      </h2>
      <div className="card stack">
        <p>
          <span className={`badge badge--workflow-${event.workflow}`}>{t(`eventWorkflow.${event.workflow}`)}</span>
        </p>
        <p>{t(`eventWorkflow.${event.workflow}Note`)}</p>
        {event.reviewNote ? (
          <p className="notice notice--warn">
            {t(event.workflow === "cancelled" ? "staffEvent.cancelReason" : "staffEvent.sentBackReason", {
              reason: event.reviewNote,
            })}
          </p>
        ) : null}
        {event.may.submit ? (
          <>
            <ErrorNotice error={submit.error} messages={EVENT_ERRORS} />
            <button
              type="button"
              className="button"
              disabled={submit.isPending}
              onClick={() => submit.mutate(undefined)}
            >
              {event.may.publishDirectly ? t("staffEvent.publish") : t("staffEvent.submit")}
            </button>
            <p className="muted small">
              {event.may.publishDirectly ? t("staffEvent.publishHint") : t("staffEvent.submitHint")}
            </p>
          </>
        ) : null}
        {submit.isSuccess ? (
          <SuccessNotice>
            {t(submit.data.workflow === "published" ? "staffEvent.published" : "staffEvent.submitted")}
          </SuccessNotice>
        ) : null}
        {event.may.review ? (
          <>
            <ErrorNotice error={approve.error ?? sendBack.error} messages={EVENT_ERRORS} />
            <button
              type="button"
              className="button"
              disabled={approve.isPending}
              onClick={() => approve.mutate(undefined)}
            >
              {t("staffEvent.approve")}
            </button>
            <form className="form" onSubmit={back} noValidate>
              <TextField
                label={t("staffEvent.sendBackReason")}
                hint={t("staffEvent.sendBackHint")}
                maxLength={200}
                value={reason}
                error={reasonMissing ? t("staffEvent.reasonMissing") : undefined}
                onChange={(e) => setReason(e.target.value)}
              />
              <button type="submit" className="button button--secondary" disabled={sendBack.isPending}>
                {t("staffEvent.sendBack")}
              </button>
            </form>
          </>
        ) : null}
        {approve.isSuccess ? <SuccessNotice>{t("staffEvent.approved")}</SuccessNotice> : null}
        {sendBack.isSuccess ? <SuccessNotice>{t("staffEvent.sentBack")}</SuccessNotice> : null}
      </div>
    </section>
  );
}

/** Every date still to come with its places, the attendee list and door check-in, and changes. */
function Occurrences({ event }: { event: Event }) {
  const t = useT();
  const { locale } = usePreferences();
  const ahead = event.occurrences.filter((o) => o.endsAt > Date.now());
  const [changing, setChanging] = useState<string | null>(null);
  return (
    <section className="section" aria-labelledby="occurrences-title">
      <h2 id="occurrences-title">{t("staffEvent.occurrencesTitle")}</h2>
      {ahead.length === 0 ? <p className="muted">{t("event.noneAhead")}</p> : null}
      {groupByDay(ahead, (o) => o.startsAt).map((day) => (
        <div key={day.date} className="section">
          <h3>{formatDay(locale, day.items[0]?.startsAt ?? 0)}</h3>
          <ul className="list">
            {day.items.map((o) => (
              <li key={o.id} className="list__item stack">
                <span className="strong">{formatTimeRange(o.startsAt, o.endsAt)}</span>
                {o.status === "cancelled" ? (
                  <span className="badge badge--muted">{t("events.cancelled")}</span>
                ) : event.signup ? (
                  <span>
                    {t("staffEvent.places", { taken: o.taken, capacity: o.capacity, waitlisted: o.waitlisted })}
                  </span>
                ) : (
                  <span>{t("events.noSignup")}</span>
                )}
                <div className="row">
                  {event.signup && event.publishedAt !== null ? (
                    <Link to="/staff/slots/$slotId" params={{ slotId: o.id }} className="button button--small">
                      {t("staffEvent.attendees")}
                    </Link>
                  ) : null}
                  {event.may.edit && o.status === "open" ? (
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-expanded={changing === o.id}
                      onClick={() => setChanging(changing === o.id ? null : o.id)}
                    >
                      {t("staffEvent.change")}
                      <span className="visually-hidden"> {formatTimeRange(o.startsAt, o.endsAt)}</span>
                    </button>
                  ) : null}
                </div>
                {changing === o.id ? <ChangeOccurrence event={event} occurrence={o} /> : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function ChangeOccurrence({ event, occurrence }: { event: Event; occurrence: Event["occurrences"][number] }) {
  const t = useT();
  const { locale } = usePreferences();
  const slotId = occurrence.id;
  const [scope, setScope] = useState<"one" | "following">("one");
  const [what, setWhat] = useState<"time" | "capacity">("time");
  // From the date's own times: saving without a change moves nobody.
  const [start, setStart] = useState(formatTime(occurrence.startsAt));
  const [end, setEnd] = useState(formatTime(occurrence.endsAt));
  const [capacity, setCapacity] = useState(String(occurrence.capacity));
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const refresh = useRefreshEvent(event.id);
  const oneDay = shanghaiDate(occurrence.startsAt) === shanghaiDate(occurrence.endsAt);
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.events[":id"].occurrences[":slotId"].$patch({
          param: { id: event.id, slotId },
          query: {},
          json: what === "time" ? { scope, start, end } : { scope, capacity: Number(capacity) },
        }),
      ),
    onSuccess: (result) => refresh(result.event),
  });
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(
        api.events[":id"].occurrences[":slotId"].cancel.$post({
          param: { id: event.id, slotId },
          query: {},
          json: { scope, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: (result) => refresh(result.event),
  });
  const result = change.data ?? cancel.data;
  return (
    <div className="card stack">
      {event.recurrence ? (
        <RadioGroup
          legend={t("staffEvent.scope")}
          name={`scope-${slotId}`}
          value={scope}
          onChange={(value) => setScope(value === "following" ? "following" : "one")}
          options={[
            { value: "one", label: t("staffEvent.scopeOne") },
            { value: "following", label: t("staffEvent.scopeFollowing") },
          ]}
        />
      ) : null}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const bad =
            what === "time"
              ? !/^\d{2}:\d{2}$/.test(start) || !/^\d{2}:\d{2}$/.test(end) || (oneDay && end <= start)
              : !/^\d{1,5}$/.test(capacity.trim()) || Number(capacity) < 1;
          setInvalid(bad);
          if (!bad) change.mutate();
        }}
      >
        {event.signup ? (
          <RadioGroup
            legend={t("staffEvent.changeWhat")}
            name={`what-${slotId}`}
            inline
            value={what}
            onChange={(value) => setWhat(value === "capacity" ? "capacity" : "time")}
            options={[
              { value: "time", label: t("staffEvent.changeTime") },
              { value: "capacity", label: t("staffEvent.changeCapacity") },
            ]}
          />
        ) : null}
        {what === "time" ? (
          <div className="field-pair">
            <TextField
              label={t("eventForm.start")}
              type="time"
              value={start}
              onChange={(e) => setStart(e.target.value)}
            />
            <TextField label={t("eventForm.end")} type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
          </div>
        ) : (
          <TextField
            label={t("eventForm.capacity")}
            inputMode="numeric"
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
          />
        )}
        <p className="muted small">{t("staffEvent.changeHint")}</p>
        {invalid ? (
          <p className="field__error" role="alert">
            {t(what === "time" ? "staffEvent.timeInvalid" : "staffEvent.capacityInvalid")}
          </p>
        ) : null}
        <ErrorNotice error={change.error} messages={EVENT_ERRORS} />
        <button type="submit" className="button button--small" disabled={change.isPending}>
          {t("staffEvent.saveChange")}
        </button>
      </form>
      <TextField
        label={t("staffEvent.cancelReason2")}
        optional
        maxLength={200}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <ErrorNotice error={cancel.error} messages={EVENT_ERRORS} />
      {cancel.isSuccess ? null : (
        <ConfirmAction
          label={t("staffEvent.cancelOccurrence")}
          question={t(scope === "following" ? "staffEvent.cancelFollowingConfirm" : "staffEvent.cancelOneConfirm")}
          confirmLabel={t("staffEvent.cancelYes")}
          busy={cancel.isPending}
          onConfirm={() => cancel.mutate()}
        />
      )}
      {result ? (
        <SuccessNotice>
          {t("staffEvent.changed", { count: result.changed })}
          {result.unchanged.length > 0
            ? ` ${t("staffEvent.unchanged", {
                dates: result.unchanged
                  .map((d) => formatDay(locale, Date.parse(`${d}T12:00:00+08:00`)))
                  .join(t("list.separator")),
              })}`
            : null}
        </SuccessNotice>
      ) : null}
    </div>
  );
}

/** More dates for the event: one date or a pattern, with the places each has. */
function AddDates({ event }: { event: Event }) {
  const t = useT();
  const [schedule, setSchedule] = useState<ScheduleForm>(() => emptySchedule(today()));
  const [capacity, setCapacity] = useState(String(event.occurrences.at(-1)?.capacity || 30));
  const [invalid, setInvalid] = useState(false);
  const add = useEventAction(event.id, (input: z.input<typeof OccurrencesInput>) =>
    unwrap(api.events[":id"].occurrences.$post({ param: { id: event.id }, query: {}, json: input })),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = OccurrencesInput.safeParse({
      schedule: scheduleInput(schedule),
      capacity: event.signup ? Number(capacity) : null,
    });
    setInvalid(!parsed.success);
    if (parsed.success) add.mutate(parsed.data);
  }
  return (
    <section className="section" aria-labelledby="add-dates-title">
      <h2 id="add-dates-title">{t("staffEvent.addDatesTitle")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <ScheduleFields form={schedule} set={(patch) => setSchedule((s) => ({ ...s, ...patch }))} invalid={invalid} />
        {event.signup ? (
          <TextField
            label={t("eventForm.capacity")}
            inputMode="numeric"
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
          />
        ) : null}
        <ErrorNotice error={add.error} messages={EVENT_ERRORS} />
        {add.isSuccess ? <SuccessNotice>{t("staffEvent.datesAdded")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={add.isPending}>
          {t("staffEvent.addDates")}
        </button>
      </form>
    </section>
  );
}

function EditDetails({ event }: { event: Event }) {
  const t = useT();
  const [form, setForm] = useState<DetailsForm>(() => detailsOf(event));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useEventAction(event.id, (patch: EventPatch) =>
    unwrap(api.events[":id"].$patch({ param: { id: event.id }, query: {}, json: patch })),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = EventPatch.safeParse(detailsInput(form));
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    if (parsed.success) save.mutate(parsed.data);
  }
  return (
    <section className="section" aria-labelledby="edit-event-title">
      <h2 id="edit-event-title">{t("staffEvent.editTitle")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <DetailsFields
          communityId={event.communityId}
          form={form}
          set={(field, value) => setForm((f) => ({ ...f, [field]: value }))}
          errors={errors}
        />
        <ErrorNotice error={save.error} messages={EVENT_ERRORS} />
        {save.isSuccess ? <SuccessNotice>{t("staffEvent.saved")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={save.isPending}>
          {t("staffEvent.save")}
        </button>
      </form>
    </section>
  );
}

function CancelEvent({ event, focusAfter }: { event: Event; focusAfter: RefObject<HTMLElement | null> }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const cancel = useEventAction(
    event.id,
    (r: string) => unwrap(api.events[":id"].cancel.$post({ param: { id: event.id }, query: {}, json: { reason: r } })),
    focusAfter,
  );
  if (event.workflow === "cancelled") return null;
  return (
    <section className="section" aria-labelledby="cancel-event-title">
      <h2 id="cancel-event-title">{t("staffEvent.cancelTitle")}</h2>
      <div className="card stack">
        <p>{t(event.publishedAt !== null ? "staffEvent.cancelHelp" : "staffEvent.withdrawHelp")}</p>
        <TextField
          label={t("staffEvent.cancelReasonLabel")}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <ErrorNotice error={cancel.error} messages={EVENT_ERRORS} />
        {reason.trim() ? (
          <ConfirmAction
            label={t("staffEvent.cancelEvent")}
            question={t("staffEvent.cancelEventConfirm")}
            confirmLabel={t("staffEvent.cancelYes")}
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate(reason.trim())}
          />
        ) : (
          <p className="muted small">{t("staffEvent.cancelNeedsReason")}</p>
        )}
      </div>
    </section>
  );
}
