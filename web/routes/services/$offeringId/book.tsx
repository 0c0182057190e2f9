import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, redirect, useNavigate } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useRef, useState } from "react";
import { z } from "zod";
import type { ActablePerson } from "../../../../worker/features/me/me.schema";
import { ErrorNotice } from "../../../components/error-notice";
import { focusFirstInvalid, TextAreaField, TextField } from "../../../components/fields";
import { ForWhom } from "../../../components/for-whom";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { ApiError, api, unwrap } from "../../../lib/api";
import {
  availabilityText,
  bookablePersons,
  cancelDeadline,
  formatMoment,
  formatPrice,
  formatWhen,
  isActive,
  newIdempotencyKey,
  type Offering,
  type Slot,
  type SlotAvailability,
  slotAvailability,
} from "../../../lib/bookings";
import { type Locale, type Translate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import {
  bookingQuery,
  myBookingsQuery,
  offeringQuery,
  offeringSlotsQuery,
  slotsHorizon,
  slotsKeyOf,
} from "../../../lib/queries";
import { useDraft } from "../../../lib/use-draft";

const BookSearch = z.object({
  slot: z.string().min(1).max(64).catch(""),
  person: z.string().min(1).max(64).catch(""),
});

export const Route = createFileRoute("/services/$offeringId/book")({
  validateSearch: BookSearch,
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
    return { me: context.me };
  },
  loader: async ({ context: { queryClient }, params }) => {
    try {
      const offering = await queryClient.ensureQueryData(offeringQuery(params.offeringId));
      await queryClient.ensureQueryData(offeringSlotsQuery(params.offeringId, slotsHorizon(offering.kind)));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: BookPage,
});

function BookPage() {
  const t = useT();
  const { offeringId } = Route.useParams();
  const search = Route.useSearch();
  const { me } = Route.useRouteContext();
  const { locale } = usePreferences();
  const { data: offering } = useSuspenseQuery(offeringQuery(offeringId));
  const { data: slots } = useSuspenseQuery(offeringSlotsQuery(offeringId, slotsHorizon(offering.kind)));
  const person = bookablePersons(me).find((p) => p.id === search.person);
  const slot = slots.find((s) => s.id === search.slot);
  const availability = slot && person ? slotAvailability(offering, slot, person, Date.now()) : null;
  const open = availability?.kind === "free" || availability?.kind === "waitlist";
  // Once the form was shown, a page saying it cannot book replaced it (a refusal re-read the
  // places): its heading takes the focus the form's button had.
  const formShown = useRef(false);
  const replacedForm = formShown.current && !(person && slot && open);
  if (person && slot && open) formShown.current = true;

  return (
    <div className="page">
      <p>
        <OfferingLink offering={offering} personId={person?.id} className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("book.back")}
        </OfferingLink>
      </p>
      {person && slot && open ? (
        // Keyed by the person: another person's form starts from their own drafts, not this one's.
        <BookingForm key={person.id} offering={offering} slot={slot} person={person} />
      ) : (
        <>
          <PageHeading {...notBookable(t, locale, { slot, person, availability })} focus={replacedForm} />
          <p>
            <OfferingLink offering={offering} personId={person?.id} className="button">
              {t(person ? "book.chooseAnother" : "book.choosePerson")}
            </OfferingLink>
          </p>
        </>
      )}
    </div>
  );
}

/** Back to the page the booking started from: the event's page for an event, else the service's. */
function OfferingLink({
  offering,
  personId,
  className,
  children,
}: {
  offering: Offering;
  personId: string | undefined;
  className: string;
  children: ReactNode;
}) {
  const search = personId ? { person: personId } : {};
  return offering.kind === "event" ? (
    <Link to="/events/$eventId" params={{ eventId: offering.id }} search={search} className={className}>
      {children}
    </Link>
  ) : (
    <Link to="/services/$offeringId" params={{ offeringId: offering.id }} search={search} className={className}>
      {children}
    </Link>
  );
}

/**
 * Why this page cannot take a booking, as specifically as the page knows: no person, or one the
 * account does not (or no longer) book for, or the chosen time is full without a waiting list, closed,
 * or not open yet — e.g. when the last place went while the form was being filled in. A time
 * no longer listed (cancelled, or past) gets the general words.
 */
function notBookable(
  t: Translate,
  locale: Locale,
  {
    slot,
    person,
    availability,
  }: {
    slot: Slot | undefined;
    person: ActablePerson | undefined;
    availability: SlotAvailability | null;
  },
): { title: string; lead: string } {
  if (person === undefined) return { title: t("book.notForPersonTitle"), lead: t("book.notForPersonBody") };
  const title = t("book.goneTitle");
  if (!slot || !availability) return { title, lead: t("book.goneBody") };
  const when = formatWhen(locale, slot.startsAt, slot.endsAt);
  switch (availability.kind) {
    case "full":
      return { title, lead: t("book.goneFull", { when }) };
    case "notYet":
      return {
        title: t("book.notYetTitle"),
        lead: t("book.notYetBody", { when, opens: formatMoment(locale, availability.opensAt) }),
      };
    case "closed":
      return { title, lead: t("book.goneClosed", { when }) };
    default:
      return { title, lead: t("book.goneBody") };
  }
}

type Step = "details" | "confirm";

function BookingForm({ offering, slot, person }: { offering: Offering; slot: Slot; person: ActablePerson }) {
  const t = useT();
  const { locale } = usePreferences();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>("details");
  // Kept in the tab until booked: a refused time (the last place gone) must not cost what was typed.
  const draft = `book:${offering.id}:${person.id}`;
  const [notes, setNotes, clearNotes] = useDraft(`${draft}:notes`);
  const [address, setAddress, clearAddress] = useDraft(`${draft}:address`);
  const [invalid, setInvalid] = useState<Set<"notes" | "address">>(new Set());
  // One key per booking attempt: a retry after a lost answer sends the same key and gets the same booking.
  const [attemptKey, setAttemptKey] = useState<string | null>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const name = person.name || t("person.unnamed");
  const availability = slotAvailability(offering, slot, person, Date.now());
  const waitlist = availability.kind === "waitlist";
  const homeVisit = offering.requiresAddress;
  // No health details in a clinic booking: a tele-consultation's symptoms are told after booking,
  // with their own consent (the booking page); a visit's, to the doctor.
  const teleconsult = offering.kind === "teleconsult" || offering.kind === "clinic";

  const book = useMutation({
    mutationFn: (key: string) =>
      unwrap(
        api.bookings.$post({
          query: {},
          header: { "idempotency-key": key },
          json: {
            slotId: slot.id,
            personId: person.id,
            ...(notes.trim() && !teleconsult ? { notes: notes.trim() } : {}),
            ...(homeVisit && address.trim() ? { address: address.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (booking) => {
      clearNotes();
      clearAddress();
      queryClient.setQueryData(bookingQuery(booking.id).queryKey, booking);
      // Leave first: refreshed free places must not redraw this form as "no longer bookable".
      await navigate({
        to: "/bookings/$bookingId",
        params: { bookingId: booking.id },
        state: { bookingCreated: true },
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["bookings", "mine"] }),
        queryClient.invalidateQueries({ queryKey: slotsKeyOf(offering.id) }),
        queryClient.invalidateQueries({ queryKey: ["me"] }),
      ]);
    },
    // Refused (the last place went, booking closed, already booked): read the places again, so the
    // page offers what is still possible — the waitlist beside the reason, or, when this time can
    // no longer be booked at all, the page that says so and leads to another time.
    onError: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: slotsKeyOf(offering.id) }),
        queryClient.invalidateQueries({ queryKey: ["bookings", "mine"] }),
      ]),
  });

  function goTo(next: Step) {
    setStep(next);
    book.reset();
    // Focus the new step's heading so screen readers and keyboards start there.
    requestAnimationFrame(() => stepHeading.current?.focus());
  }

  function review(event: FormEvent) {
    event.preventDefault();
    const problems = new Set<"notes" | "address">();
    if (homeVisit && address.trim().length < 4) problems.add("address");
    if (homeVisit && !notes.trim()) problems.add("notes");
    if (notes.length > 500) problems.add("notes");
    setInvalid(problems);
    focusFirstInvalid(event.currentTarget);
    if (problems.size > 0) return;
    setAttemptKey(newIdempotencyKey());
    goTo("confirm");
  }

  function confirm() {
    const key = attemptKey ?? newIdempotencyKey();
    setAttemptKey(key);
    book.mutate(key);
  }

  const deadline = cancelDeadline(offering, slot.startsAt);

  return (
    <>
      <PageHeading title={t("book.title", { name })} lead={offering.title} />
      <ForWhom name={name} />
      <section className="section" aria-labelledby="step-title">
        <p className="steps">{t(step === "details" ? "book.step1" : "book.step2")}</p>
        <h2 id="step-title" ref={stepHeading} tabIndex={-1}>
          {t(step === "details" ? "book.detailsTitle" : "book.confirmTitle")}
        </h2>
        <div className="card">
          <dl className="details">
            <dt>{t("book.person")}</dt>
            <dd className="strong">{name}</dd>
            <dt>{t("book.service")}</dt>
            <dd>{offering.title}</dd>
            <dt>{t("book.organisation")}</dt>
            <dd>{offering.organisationName}</dd>
            {offering.facilityName ? (
              <>
                <dt>{t("offering.place")}</dt>
                <dd>{offering.facilityName}</dd>
              </>
            ) : null}
            <dt>{t("book.when")}</dt>
            <dd className="strong">{formatWhen(locale, slot.startsAt, slot.endsAt)}</dd>
            <dt>{t("offering.cost")}</dt>
            <dd>{formatPrice(t, offering.priceFen)}</dd>
            <dt>{t("book.places")}</dt>
            <dd>{availabilityText(t, locale, availability)}</dd>
            {step === "confirm" && homeVisit ? (
              <>
                <dt>{t("book.address")}</dt>
                <dd>{address.trim()}</dd>
              </>
            ) : null}
            {step === "confirm" && notes.trim() && !teleconsult ? (
              <>
                <dt>{homeVisit ? t("book.needs") : t("book.notes")}</dt>
                <dd className="pre-line">{notes.trim()}</dd>
              </>
            ) : null}
          </dl>
          {slot.note ? (
            <p className="small">
              {offering.category === "meal" ? t("slot.menu", { note: slot.note }) : t("slot.note", { note: slot.note })}
            </p>
          ) : null}
        </div>
        {waitlist ? <p className="notice notice--warn">{t("book.waitlistNotice")}</p> : null}
        {offering.requiresConfirmation ? <p className="notice notice--info">{t("book.confirmationNotice")}</p> : null}
        <p className="muted">
          {offering.cancelCutoffHours > 0
            ? t("book.cancelRule", { hours: offering.cancelCutoffHours, when: formatMoment(locale, deadline) })
            : t("rules.cancelAnyTime")}
        </p>

        {step === "details" ? (
          <form className="card form" onSubmit={review} noValidate>
            {homeVisit ? (
              <TextField
                label={t("book.address")}
                hint={t("book.addressHint")}
                autoComplete="street-address"
                maxLength={200}
                value={address}
                error={invalid.has("address") ? t("invalid.address") : undefined}
                onChange={(e) => setAddress(e.target.value)}
              />
            ) : null}
            {teleconsult ? (
              <p className="notice notice--info">
                {t(offering.kind === "teleconsult" ? "teleconsult.symptomsLater" : "clinics.noNotes")}
              </p>
            ) : (
              <TextAreaField
                label={homeVisit ? t("book.needs") : t("book.notes")}
                hint={homeVisit ? t("book.needsHint") : t("book.notesHint")}
                optional={!homeVisit}
                maxLength={500}
                value={notes}
                error={invalid.has("notes") ? t(homeVisit ? "invalid.needs" : "invalid.tooLong") : undefined}
                onChange={(e) => setNotes(e.target.value)}
              />
            )}
            <button type="submit" className="button button--block">
              {t("book.next")}
            </button>
          </form>
        ) : (
          <div className="stack">
            <ErrorNotice error={book.error} />
            {book.error instanceof ApiError && book.error.code === "ALREADY_BOOKED" ? (
              <ExistingBooking slotId={slot.id} personId={person.id} />
            ) : null}
            <button type="button" className="button button--block" disabled={book.isPending} onClick={confirm}>
              {book.isPending ? t("book.submitting") : waitlist ? t("book.confirmWaitlist") : t("book.confirm")}
            </button>
            <button
              type="button"
              className="button button--secondary button--block"
              disabled={book.isPending}
              onClick={() => goTo("details")}
            >
              {t("book.edit")}
            </button>
          </div>
        )}
      </section>
    </>
  );
}

/** The booking this person already holds on this slot (after ALREADY_BOOKED), to open instead. */
function ExistingBooking({ slotId, personId }: { slotId: string; personId: string }) {
  const t = useT();
  const { data } = useQuery(myBookingsQuery({ when: "upcoming", personId }));
  const existing = data?.find((b) => b.slot.id === slotId && isActive(b.status));
  if (!existing) return null;
  return (
    <Link
      to="/bookings/$bookingId"
      params={{ bookingId: existing.id }}
      className="button button--secondary button--block"
    >
      {t("book.openExisting")}
    </Link>
  );
}
