import type { z } from "zod";
import type { NotificationList } from "../../worker/features/notifications/notifications.routes";
import { formatMoment } from "./bookings";
import type { Locale, MessageKey, Translate } from "./i18n";

export type Notice = z.infer<typeof NotificationList>["notifications"][number];
type Params = NonNullable<Notice["params"]>;

interface Wording {
  /** The params the wording cannot do without; a notice missing one keeps its stored text. */
  needs: Array<keyof Params>;
  title: MessageKey;
  body: MessageKey;
  /** A fuller body for when the optional param is there. */
  bodyWith?: { param: "reason" | "address"; key: MessageKey };
}

const REMINDER: Wording = {
  needs: ["person", "offering", "startsAt", "code"],
  title: "notice.reminder.title",
  body: "notice.reminder.body",
};

/** A reminder of a booking still waiting for the service's confirmation: no check-in code yet. */
const REMINDER_PENDING: Wording = {
  needs: ["person", "offering", "startsAt"],
  title: "notice.reminder.title",
  body: "notice.reminder.bodyPending",
};

/** A place from the waiting list on a service that confirms its bookings: pending until it does. */
const PROMOTED_PENDING: Wording = {
  needs: ["person", "offering", "startsAt"],
  title: "notice.waitlist_promoted.title",
  body: "notice.waitlist_promoted.bodyPending",
};

/** Each kind the server sends (bookings.routes.ts, bookings.queries.ts, reminders.ts, persons.routes.ts, volunteers.routes.ts, events.routes.ts, jobs.routes.ts, courses.routes.ts, signings.routes.ts). */
const WORDINGS: Record<string, Wording> = {
  booking_created: {
    needs: ["person", "offering", "startsAt", "code"],
    title: "notice.booking_created.title",
    body: "notice.booking_created.body",
  },
  booking_waitlisted: {
    needs: ["person", "offering", "startsAt"],
    title: "notice.booking_waitlisted.title",
    body: "notice.booking_waitlisted.body",
  },
  booking_confirmed: {
    needs: ["person", "offering", "startsAt", "code"],
    title: "notice.booking_confirmed.title",
    body: "notice.booking_confirmed.body",
  },
  waitlist_promoted: {
    needs: ["person", "offering", "startsAt"],
    title: "notice.waitlist_promoted.title",
    body: "notice.waitlist_promoted.body",
  },
  slot_changed: {
    needs: ["person", "offering", "startsAt"],
    title: "notice.slot_changed.title",
    body: "notice.slot_changed.body",
  },
  slot_cancelled: {
    needs: ["person", "offering", "startsAt"],
    title: "notice.slot_cancelled.title",
    body: "notice.slot_cancelled.body",
    bodyWith: { param: "reason", key: "notice.slot_cancelled.bodyWithReason" },
  },
  booking_cancelled_by_staff: {
    needs: ["person", "offering", "organisation", "startsAt"],
    title: "notice.booking_cancelled_by_staff.title",
    body: "notice.booking_cancelled_by_staff.body",
  },
  booking_assigned: {
    needs: ["person", "offering", "startsAt"],
    title: "notice.booking_assigned.title",
    body: "notice.booking_assigned.body",
    bodyWith: { param: "address", key: "notice.booking_assigned.bodyWithAddress" },
  },
  proxy_linked_for_you: {
    needs: ["proxy"],
    title: "notice.proxy_linked_for_you.title",
    body: "notice.proxy_linked_for_you.body",
  },
  "reminder-24h": REMINDER,
  "reminder-2h": REMINDER,
  volunteer_approved: {
    needs: ["number"],
    title: "notice.volunteer_approved.title",
    body: "notice.volunteer_approved.body",
  },
  volunteer_rejected: {
    needs: ["reason"],
    title: "notice.volunteer_rejected.title",
    body: "notice.volunteer_rejected.body",
  },
  volunteer_suspended: {
    needs: ["reason"],
    title: "notice.volunteer_suspended.title",
    body: "notice.volunteer_suspended.body",
  },
  team_joined: { needs: ["organisation"], title: "notice.team_joined.title", body: "notice.team_joined.body" },
  team_declined: {
    needs: ["organisation"],
    title: "notice.team_declined.title",
    body: "notice.team_declined.body",
    bodyWith: { param: "reason", key: "notice.team_declined.bodyWithReason" },
  },
  team_removed: {
    needs: ["organisation"],
    title: "notice.team_removed.title",
    body: "notice.team_removed.body",
    bodyWith: { param: "reason", key: "notice.team_removed.bodyWithReason" },
  },
  family_doctor_accepted: {
    needs: ["person", "organisation"],
    title: "notice.family_doctor_accepted.title",
    body: "notice.family_doctor_accepted.body",
  },
  family_doctor_declined: {
    needs: ["person", "organisation", "reason"],
    title: "notice.family_doctor_declined.title",
    body: "notice.family_doctor_declined.body",
  },
  course_completed: {
    needs: ["person", "offering", "organisation"],
    title: "notice.course_completed.title",
    body: "notice.course_completed.body",
  },
  // Job postings (jobs.routes.ts): `offering` is the position, `organisation` the employer.
  job_approved: {
    needs: ["offering", "organisation"],
    title: "notice.job_approved.title",
    body: "notice.job_approved.body",
  },
  job_rejected: {
    needs: ["offering", "organisation", "reason"],
    title: "notice.job_rejected.title",
    body: "notice.job_rejected.body",
  },
  job_taken_down: {
    needs: ["offering", "organisation", "reason"],
    title: "notice.job_taken_down.title",
    body: "notice.job_taken_down.body",
  },
  certificate_revoked: {
    needs: ["code", "organisation", "reason"],
    title: "notice.certificate_revoked.title",
    body: "notice.certificate_revoked.body",
  },
  service_record_rejected: {
    needs: ["offering", "reason"],
    title: "notice.service_record_rejected.title",
    body: "notice.service_record_rejected.body",
  },
  volunteer_reinstated: {
    needs: [],
    title: "notice.volunteer_reinstated.title",
    body: "notice.volunteer_reinstated.body",
  },
  event_published: { needs: ["offering"], title: "notice.event_published.title", body: "notice.event_published.body" },
  event_sent_back: {
    needs: ["offering", "reason"],
    title: "notice.event_sent_back.title",
    body: "notice.event_sent_back.body",
  },
};

/**
 * The wording of a kind whose booking still waits for the service's confirmation (the params say
 * `status: pending`; the kind is shared with confirmed bookings).
 */
const PENDING_WORDINGS: Record<string, Wording> = {
  booking_created: { ...(WORDINGS.booking_created as Wording), title: "notice.booking_pending.title" },
  waitlist_promoted: PROMOTED_PENDING,
  "reminder-24h": REMINDER_PENDING,
  "reminder-2h": REMINDER_PENDING,
};

/**
 * A notice's title and body in the reader's language. The stored text is Chinese (it is also the
 * SMS), so Chinese readers get it as sent; other languages get the kind's wording filled from its
 * params, or the stored text when the kind is unknown to this build or a param is missing.
 *
 * @example
 * const { title, body } = noticeText(t, locale, notice);
 */
export function noticeText(t: Translate, locale: Locale, notice: Notice): { title: string; body: string } {
  const stored = { title: notice.title, body: notice.body };
  const params = notice.params;
  const wording = (params?.status === "pending" ? PENDING_WORDINGS[notice.kind] : undefined) ?? WORDINGS[notice.kind];
  if (locale === "zh-CN" || !wording || !params) return stored;
  if (wording.needs.some((name) => params[name] === undefined)) return stored;
  const vars: Record<string, string> = {
    person: params.person ?? "",
    offering: params.offering ?? "",
    organisation: params.organisation ?? "",
    when: params.startsAt === undefined ? "" : formatMoment(locale, params.startsAt),
    code: params.code ?? "",
    reason: params.reason ?? "",
    address: params.address ?? "",
    proxy: params.proxy ?? "",
    number: params.number ?? "",
  };
  const optional = wording.bodyWith;
  return {
    title: t(wording.title),
    body: t(optional && params[optional.param] ? optional.key : wording.body, vars),
  };
}
