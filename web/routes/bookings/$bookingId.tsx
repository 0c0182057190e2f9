import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, redirect, useRouterState } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { BookingStatusBadge } from "../../components/booking-status";
import { ConfirmAction } from "../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { focusFirstInvalid, TextAreaField } from "../../components/fields";
import { ForWhom } from "../../components/for-whom";
import { Icon } from "../../components/icon";
import { OfferingPlace } from "../../components/offering-place";
import { PageHeading } from "../../components/page";
import { TeleconsultSection } from "../../components/teleconsult-section";
import { ApiError, api, unwrap } from "../../lib/api";
import {
  type Booking,
  cancelDeadline,
  formatMoment,
  formatWhen,
  leftOver,
  type Offering,
  RATING_VALUES,
  ratingText,
  stillCancellable,
} from "../../lib/bookings";
import { formatDate, type MessageKey, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { bookingQuery, offeringQuery } from "../../lib/queries";
import { useFocusWhenLost } from "../../lib/use-focus-when-lost";
import { useNow } from "../../lib/use-now";
import { ShiftCheck } from "./-components/shift-check";

export const Route = createFileRoute("/bookings/$bookingId")({
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
    return { me: context.me };
  },
  loader: async ({ context: { queryClient }, params }) => {
    try {
      const booking = await queryClient.ensureQueryData(bookingQuery(params.bookingId));
      await queryClient.ensureQueryData(offeringQuery(booking.offering.id));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: BookingPage,
});

const CREATED_MESSAGE: Partial<Record<Booking["status"], MessageKey>> = {
  confirmed: "booking.createdConfirmed",
  pending: "booking.createdPending",
  waitlisted: "booking.createdWaitlisted",
};

const STATUS_HELP: Record<Booking["status"], MessageKey> = {
  pending: "booking.helpPending",
  confirmed: "booking.helpConfirmed",
  waitlisted: "booking.helpWaitlisted",
  checked_in: "booking.helpCheckedIn",
  completed: "booking.helpCompleted",
  no_show: "booking.helpNoShow",
  cancelled: "booking.helpCancelled",
};

/**
 * The line under the status: the status's own help, except where it would mislead — a place
 * still "confirmed" after the service ended (the organisation has not recorded it yet), a
 * cancellation that was the organisation's (the whole slot called off), a completed service
 * already rated or looked at by someone who cannot rate it.
 */
function statusHelp(booking: Booking, own: boolean, at: number): MessageKey {
  const left = leftOver(booking, at);
  if (left) return left === "unrecorded" ? "booking.helpEnded" : "booking.helpWaitlistOver";
  if (booking.status === "cancelled" && booking.cancelledByOrganisation) {
    return booking.slot.status === "cancelled" ? "booking.helpSlotCancelled" : "booking.helpCancelledByOrganisation";
  }
  if (booking.status === "checked_in" && booking.slot.endsAt <= at) return "booking.helpCheckedInOver";
  if (booking.status === "completed" && (booking.rating !== null || !own)) return "booking.helpCompletedDone";
  return STATUS_HELP[booking.status];
}

function BookingPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { bookingId } = Route.useParams();
  const { me } = Route.useRouteContext();
  const created = useRouterState({ select: (s) => s.location.state.bookingCreated === true });
  const { data: booking } = useSuspenseQuery(bookingQuery(bookingId));
  const { data: offering } = useSuspenseQuery(offeringQuery(booking.offering.id));
  // The QR image is served to the person and their proxies only (not to staff looking at it).
  const ownBooking = me.persons.some((p) => p.id === booking.person.id);
  // A tele-consultation's health data: the person, or a proxy for all matters (not bookings only).
  const healthReader = me.persons.some(
    (p) => p.id === booking.person.id && (p.relationship === "self" || p.scope === "all"),
  );
  const createdMessage = created ? CREATED_MESSAGE[booking.status] : undefined;
  const shift = booking.offering.kind === "volunteer_shift";
  // Service hours are the volunteer's own: only they check in and out of their shift.
  const selfBooking = me.persons.some((p) => p.id === booking.person.id && p.relationship === "self");
  // A booking left open on the phone follows its service starting and ending, and the cut-off.
  const at = useNow([booking.slot.startsAt, booking.slot.endsAt, cancelDeadline(offering, booking.slot.startsAt)]);
  const showCode = (booking.status === "confirmed" || booking.status === "pending") && !leftOver(booking, at);
  // When the clock takes away what had the focus (the code, the cancel section), the status says why.
  const page = useRef<HTMLDivElement>(null);
  const status = useRef<HTMLParagraphElement>(null);
  useFocusWhenLost(page, status);

  return (
    <div className="page" ref={page}>
      <p>
        <Link to="/bookings" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("booking.back")}
        </Link>
      </p>
      <PageHeading title={booking.offering.title} lead={booking.offering.organisationName} />
      <ForWhom name={booking.person.name} />
      {createdMessage ? (
        <SuccessNotice>{t(createdMessage, { position: booking.waitlistPosition ?? 1 })}</SuccessNotice>
      ) : null}

      <div className="card stack">
        <p className="row">
          <span className="visually-hidden">{t("booking.status")}</span>
          <BookingStatusBadge booking={booking} at={at} />
        </p>
        <p ref={status} tabIndex={-1}>
          {t(statusHelp(booking, ownBooking, at), {
            position: booking.waitlistPosition ?? 1,
            when: booking.cancelledAt ? formatMoment(locale, booking.cancelledAt) : "",
          })}
        </p>
        <dl className="details">
          <dt>{t("book.when")}</dt>
          <dd className="strong">{formatWhen(locale, booking.slot.startsAt, booking.slot.endsAt)}</dd>
          <dt>{t("book.organisation")}</dt>
          <dd>{booking.offering.organisationName}</dd>
          <OfferingPlace offering={offering} />
          <dt>{t("book.person")}</dt>
          <dd>{booking.person.name || t("person.unnamed")}</dd>
          <dt>{t("booking.bookedBy")}</dt>
          <dd>
            {t(`actorRole.${booking.actorRole}`)} · {formatDate(locale, booking.createdAt, true)}
          </dd>
          {booking.address ? (
            <>
              <dt>{t("book.address")}</dt>
              <dd>{booking.address}</dd>
            </>
          ) : null}
          {booking.assignee ? (
            <>
              <dt>{t(offering.requiresAddress ? "booking.visitor" : "booking.assignee")}</dt>
              <dd className="strong">{booking.assignee.name || t("person.unnamed")}</dd>
            </>
          ) : null}
          {booking.notes ? (
            <>
              <dt>{t("book.notes")}</dt>
              <dd className="pre-line">{booking.notes}</dd>
            </>
          ) : null}
        </dl>
      </div>

      {showCode ? (
        <section className="section" aria-labelledby="code-title">
          <h2 id="code-title">{t("booking.codeTitle")}</h2>
          <div className="card check-in-code">
            <p className="check-in-code__value">
              <span aria-hidden="true">{booking.code}</span>
              <span className="visually-hidden">{spelled(booking.code)}</span>
            </p>
            {ownBooking ? (
              <img
                className="check-in-code__qr"
                src={`/api/bookings/${booking.id}/qr.svg`}
                alt={t("booking.qrAlt", { code: spelled(booking.code) })}
                width={200}
                height={200}
              />
            ) : null}
            <p className="muted">{booking.status === "pending" ? t("booking.codePending") : t("booking.codeHelp")}</p>
          </div>
        </section>
      ) : null}

      {booking.offering.kind === "teleconsult" && healthReader ? <TeleconsultSection bookingId={booking.id} /> : null}
      {shift && selfBooking && ["confirmed", "checked_in", "completed"].includes(booking.status) ? (
        <ShiftCheck booking={booking} />
      ) : null}
      <CancelSection booking={booking} offering={offering} at={at} />
      {/* Only the person or their proxy rates (the API refuses anyone else); a rating given shows to all.
          A volunteer's shift is not a service they received: nothing to rate. */}
      {!shift && booking.status === "completed" && (ownBooking || booking.rating !== null) ? (
        <RatingSection booking={booking} />
      ) : null}
    </div>
  );
}

/** "Z G 3 D C A": screen readers then read the code letter by letter. */
function spelled(code: string): string {
  return code.split("").join(" ");
}

function useBookingUpdated() {
  const queryClient = useQueryClient();
  return async (updated: Booking) => {
    queryClient.setQueryData(bookingQuery(updated.id).queryKey, updated);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ["bookings", "mine"] }),
      queryClient.invalidateQueries({ queryKey: ["offerings", updated.offering.id, "slots"] }),
      queryClient.invalidateQueries({ queryKey: ["me"] }),
    ]);
  };
}

function CancelSection({ booking, offering, at }: { booking: Booking; offering: Offering; at: number }) {
  const t = useT();
  const { locale } = usePreferences();
  const updated = useBookingUpdated();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    // The variable: whether it leaves the waiting list — asked for as such, so a place given
    // meanwhile is kept (409), and worded as such once done.
    mutationFn: (fromWaitlist: boolean) =>
      unwrap(
        api.bookings[":id"].cancel.$post({
          param: { id: booking.id },
          query: {},
          json: fromWaitlist ? { waitlistOnly: true } : {},
        }),
      ),
    onSuccess: updated,
    // Refused (a place given meanwhile, the cut-off passed): the page shows the booking as it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: bookingQuery(booking.id).queryKey }),
  });
  // Cancelling online closing at the cut-off while its confirmation is open: the reason takes the focus.
  const section = useRef<HTMLElement>(null);
  const explanation = useRef<HTMLParagraphElement>(null);
  useFocusWhenLost(section, explanation);
  if (cancel.isSuccess)
    return <SuccessNotice>{t(cancel.variables ? "booking.leftWaitlist" : "booking.cancelled")}</SuccessNotice>;

  if (!stillCancellable(booking, at)) return null;
  const waitlisted = booking.status === "waitlisted";
  const deadline = cancelDeadline(offering, booking.slot.startsAt);
  const late = !waitlisted && at > deadline;
  const when = formatMoment(locale, deadline);

  return (
    <section className="section" aria-labelledby="cancel-title" ref={section}>
      <h2 id="cancel-title">{t("booking.cancelTitle")}</h2>
      <div className="card stack">
        <p ref={explanation} tabIndex={-1}>
          {late
            ? t("booking.cancelLate", { when })
            : waitlisted
              ? t("booking.cancelWaitlist")
              : offering.cancelCutoffHours > 0
                ? t("booking.cancelUntil", { when })
                : t("rules.cancelAnyTime")}
        </p>
        {late ? null : (
          <div>
            <ConfirmAction
              label={waitlisted ? t("booking.leaveWaitlist") : t("booking.cancel")}
              question={t("booking.cancelConfirm", {
                name: booking.person.name || t("person.unnamed"),
                title: booking.offering.title,
                when: formatWhen(locale, booking.slot.startsAt, booking.slot.endsAt),
              })}
              confirmLabel={t("booking.cancelYes")}
              busy={cancel.isPending}
              onConfirm={() => cancel.mutate(waitlisted)}
            />
          </div>
        )}
        <ErrorNotice error={cancel.error} messages={{ CONFLICT: "booking.cancelConflict" }} />
      </div>
    </section>
  );
}

function RatingSection({ booking }: { booking: Booking }) {
  const t = useT();
  const updated = useBookingUpdated();
  const [rating, setRating] = useState("");
  const [comment, setComment] = useState("");
  const [missing, setMissing] = useState(false);
  const rate = useMutation({
    mutationFn: (value: number) =>
      unwrap(
        api.bookings[":id"].rating.$post({
          param: { id: booking.id },
          query: {},
          json: { rating: value, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      ),
    onSuccess: updated,
  });

  if (booking.rating !== null) {
    return (
      <section className="section" aria-labelledby="rating-title">
        <h2 id="rating-title">{t("rating.title")}</h2>
        <div className="card stack">
          {rate.isSuccess ? <SuccessNotice>{t("rating.thanks")}</SuccessNotice> : null}
          <p className="strong">{t("rating.given", { rating: ratingText(t, booking.rating) })}</p>
          {booking.ratingComment ? <p className="pre-line">{booking.ratingComment}</p> : null}
        </div>
      </section>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = Number(rating);
    setMissing(!value);
    focusFirstInvalid(event.currentTarget);
    if (value) rate.mutate(value);
  }

  return (
    <section className="section" aria-labelledby="rating-title">
      <h2 id="rating-title">{t("rating.title")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <fieldset className="fieldset rating">
          <legend className="fieldset__legend">{t("rating.question", { title: booking.offering.title })}</legend>
          <div className="choices">
            {RATING_VALUES.map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="rating"
                  value={value}
                  checked={rating === String(value)}
                  aria-invalid={missing ? true : undefined}
                  aria-describedby={missing ? "rating-missing" : undefined}
                  onChange={() => {
                    setRating(String(value));
                    setMissing(false);
                  }}
                />
                <span className="rating__label">
                  <span className="rating__stars" aria-hidden="true">
                    {"★".repeat(value)}
                    <span className="rating__empty">{"☆".repeat(5 - value)}</span>
                  </span>
                  {ratingText(t, value)}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {missing ? (
          <p className="field__error" id="rating-missing">
            {t("rating.choose")}
          </p>
        ) : null}
        <TextAreaField
          label={t("rating.comment")}
          optional
          maxLength={500}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <ErrorNotice error={rate.error} />
        <button type="submit" className="button button--block" disabled={rate.isPending}>
          {t("rating.submit")}
        </button>
      </form>
    </section>
  );
}
