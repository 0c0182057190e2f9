import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { type FormEvent, type RefObject, useRef, useState } from "react";
import { PersonCreate } from "../../../worker/features/persons/persons.schema";
import { BookingStatusBadge } from "../../components/booking-status";
import { ErrorNotice } from "../../components/error-notice";
import { focusFirstInvalid, RadioGroup, SelectField, TextAreaField, TextField } from "../../components/fields";
import { ForWhom } from "../../components/for-whom";
import { PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import {
  type Booking,
  formatPrice,
  formatWhen,
  newIdempotencyKey,
  type Offering,
  type Slot,
  shanghaiDate,
} from "../../lib/bookings";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { communitiesQuery, offeringSlotsQuery, slotsKeyOf, staffOfferingsQuery } from "../../lib/queries";
import { ForbiddenError, staffOrganisations } from "../../lib/roles";
import { useFocusWhenLost } from "../../lib/use-focus-when-lost";
import { FindPerson } from "./-components/find-person";
import {
  blankPerson,
  checkPerson,
  creationOf,
  type PersonErrors,
  type PersonFieldName,
  PersonFields,
} from "./-components/person-fields";

export const Route = createFileRoute("/staff/walk-in")({
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient, me } }) =>
    Promise.all([
      queryClient.ensureQueryData(staffOfferingsQuery(staffOrganisations(me))),
      queryClient.ensureQueryData(communitiesQuery),
    ]),
  component: WalkInPage,
});

interface Chosen {
  id: string;
  name: string;
}

type Channel = "walk_in" | "phone";

/**
 * Booking for someone at the counter or on the phone: find them by exact name and the last four
 * digits of their phone, or their birth year when they have no phone (or register them), choose a
 * service and a time, check, book.
 */
function WalkInPage() {
  const t = useT();
  const [person, setPerson] = useState<Chosen | null>(null);
  const [booked, setBooked] = useState<Booking | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // A step replacing another (the check of the details, 修改 back to the form, the booking made)
  // takes away the button that had the focus: it goes to the heading, which names the step.
  const steps = useRef<HTMLDivElement>(null);
  useFocusWhenLost(steps, heading);

  function choose(next: Chosen | null) {
    setPerson(next);
    setBooked(null);
    requestAnimationFrame(() => heading.current?.focus());
  }

  return (
    <div className="page" ref={steps}>
      <PageHeading title={t("walkIn.title")} lead={t("walkIn.lead")} />
      <h2 ref={heading} tabIndex={-1}>
        {booked ? t("walkIn.doneTitle") : person ? t("walkIn.slotTitle") : t("walkIn.personTitle")}
      </h2>
      {booked ? (
        <Done booking={booked} onAnother={() => choose(null)} />
      ) : person ? (
        <BookFor person={person} heading={heading} onChangePerson={() => choose(null)} onBooked={setBooked} />
      ) : (
        <>
          <FindPerson onChoose={choose} chooseLabel={(name) => t("walkIn.bookFor", { name })} />
          <RegisterPerson onChoose={choose} />
        </>
      )}
    </div>
  );
}

function RegisterPerson({ onChoose }: { onChoose: (person: Chosen) => void }) {
  const t = useT();
  const { locale } = usePreferences();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(() => blankPerson());
  const [errors, setErrors] = useState<PersonErrors>({});
  const set = (field: PersonFieldName, value: string) => setForm((f) => ({ ...f, [field]: value }));
  const create = useMutation({
    mutationFn: (input: PersonCreate) => unwrap(api.persons.$post({ query: {}, json: input })),
    onSuccess: (person) => onChoose({ id: person.id, name: person.name }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const { data, errors: found } = checkPerson(PersonCreate, creationOf(form));
    setErrors(found);
    focusFirstInvalid(event.currentTarget);
    if (data) create.mutate(data);
  }

  return (
    <section className="section" aria-labelledby="register-title">
      <h3 id="register-title">{t("walkIn.register")}</h3>
      {!open ? (
        <button type="button" className="button button--secondary button--block" onClick={() => setOpen(true)}>
          {t("walkIn.registerOpen")}
        </button>
      ) : (
        <form className="card form" onSubmit={submit} noValidate>
          <p className="muted">{t("walkIn.registerHint")}</p>
          <PersonFields
            fields={["name", "birthDate", "gender", "communityId", "phone", "address"]}
            draft={form}
            errors={errors}
            onChange={set}
            genderName="walk-in-gender"
            communities={communities.map((c) => ({ id: c.id, name: locale === "en" ? c.nameEn : c.name }))}
            phoneHint={t("walkIn.phoneHint")}
          />
          <ErrorNotice error={create.error} />
          <button type="submit" className="button button--block" disabled={create.isPending}>
            {t("walkIn.registerSubmit")}
          </button>
        </form>
      )}
    </section>
  );
}

function BookFor({
  person,
  heading,
  onChangePerson,
  onBooked,
}: {
  person: Chosen;
  /** The page's step heading: the focus goes there when the check replaces the form, or back. */
  heading: RefObject<HTMLHeadingElement | null>;
  onChangePerson: () => void;
  onBooked: (booking: Booking) => void;
}) {
  const t = useT();
  const area = useRef<HTMLDivElement>(null);
  useFocusWhenLost(area, heading);
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { me } = Route.useRouteContext();
  const { data: offerings } = useSuspenseQuery(staffOfferingsQuery(staffOrganisations(me)));
  const [offeringId, setOfferingId] = useState("");
  const [slotId, setSlotId] = useState("");
  const [channel, setChannel] = useState<Channel>("walk_in");
  const [notes, setNotes] = useState("");
  const [address, setAddress] = useState("");
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const [attemptKey, setAttemptKey] = useState<string | null>(null);
  const slots = useQuery({ ...offeringSlotsQuery(offeringId), enabled: offeringId !== "" });
  const offering = offerings.find((o) => o.id === offeringId);
  const slot = slots.data?.find((s) => s.id === slotId);
  const active = offerings.filter((o) => o.status === "active");

  const book = useMutation({
    mutationFn: (key: string) =>
      unwrap(
        api.bookings.$post({
          query: {},
          header: { "idempotency-key": key },
          json: {
            slotId,
            personId: person.id,
            channel,
            ...(notes.trim() ? { notes: notes.trim() } : {}),
            ...(offering?.requiresAddress && address.trim() ? { address: address.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (booking) => {
      await queryClient.invalidateQueries({ queryKey: ["staff"] });
      await queryClient.invalidateQueries({ queryKey: slotsKeyOf(booking.offering.id) });
      onBooked(booking);
    },
    // Refused (full, closed): the slot picker shows the places as they are now.
    onError: () => queryClient.invalidateQueries({ queryKey: slotsKeyOf(offeringId) }),
  });

  function review(event: FormEvent) {
    event.preventDefault();
    const problems = new Set<string>();
    if (!offering) problems.add("offering");
    if (!slot) problems.add("slot");
    if (offering?.requiresAddress && address.trim().length < 4) problems.add("address");
    setInvalid(problems);
    focusFirstInvalid(event.currentTarget);
    if (problems.size === 0) {
      book.reset();
      setAttemptKey(newIdempotencyKey());
    }
  }

  const reviewing = attemptKey !== null && offering && slot;
  return (
    <div className="stack" ref={area}>
      <ForWhom name={person.name} />
      <p>
        <button type="button" className="text-button" onClick={onChangePerson}>
          {t("walkIn.changePerson")}
        </button>
      </p>
      {reviewing ? (
        <div className="card stack">
          <dl className="details">
            <dt>{t("book.person")}</dt>
            <dd className="strong">{person.name || t("person.unnamed")}</dd>
            <dt>{t("book.service")}</dt>
            <dd>{offering.title}</dd>
            <dt>{t("book.organisation")}</dt>
            <dd>{offering.organisationName}</dd>
            <dt>{t("book.when")}</dt>
            <dd className="strong">{formatWhen(locale, slot.startsAt, slot.endsAt)}</dd>
            <dt>{t("offering.cost")}</dt>
            <dd>{formatPrice(t, offering.priceFen)}</dd>
            <dt>{t("walkIn.channel")}</dt>
            <dd>{t(`channel.${channel}`)}</dd>
            {offering.requiresAddress ? (
              <>
                <dt>{t("book.address")}</dt>
                <dd>{address.trim()}</dd>
              </>
            ) : null}
            {notes.trim() ? (
              <>
                <dt>{t("book.notes")}</dt>
                <dd className="pre-line">{notes.trim()}</dd>
              </>
            ) : null}
          </dl>
          {slot.free === 0 ? <p className="notice notice--warn">{t("walkIn.fullNotice")}</p> : null}
          <ErrorNotice error={book.error} />
          <button
            type="button"
            className="button button--block"
            disabled={book.isPending}
            onClick={() => book.mutate(attemptKey)}
          >
            {book.isPending ? t("book.submitting") : t("book.confirm")}
          </button>
          <button
            type="button"
            className="button button--secondary button--block"
            disabled={book.isPending}
            onClick={() => {
              setAttemptKey(null);
              book.reset();
            }}
          >
            {t("book.edit")}
          </button>
        </div>
      ) : (
        <form className="card form" onSubmit={review} noValidate>
          {/* A refusal that took the chosen time away (called off, ended) brings the form back: its words with it. */}
          <ErrorNotice error={book.error} />
          <SelectField
            label={t("walkIn.offering")}
            value={offeringId}
            placeholder={t("walkIn.chooseOffering")}
            error={invalid.has("offering") ? t("invalid.offering") : undefined}
            options={active.map((o) => ({
              value: o.id,
              label: t("walkIn.offeringOption", { title: o.title, organisation: o.organisationName }),
            }))}
            onChange={(e) => {
              setOfferingId(e.target.value);
              setSlotId("");
              // A choice changed after a refusal is a new attempt: reviewed (and keyed) anew.
              setAttemptKey(null);
            }}
          />
          {offering ? (
            <SlotChoice
              offering={offering}
              slots={slots.data ?? null}
              failed={slots.isError}
              onRetry={() => void slots.refetch()}
              value={slotId}
              onChange={(id) => {
                setSlotId(id);
                setAttemptKey(null);
              }}
              invalid={invalid.has("slot")}
            />
          ) : null}
          <ErrorNotice error={slots.error} />
          <RadioGroup
            legend={t("walkIn.channel")}
            name="channel"
            inline
            value={channel}
            onChange={(value) => setChannel(value === "phone" ? "phone" : "walk_in")}
            options={[
              { value: "walk_in", label: t("channel.walk_in") },
              { value: "phone", label: t("channel.phone") },
            ]}
          />
          {offering?.requiresAddress ? (
            <TextField
              label={t("book.address")}
              maxLength={200}
              value={address}
              error={invalid.has("address") ? t("invalid.address") : undefined}
              onChange={(e) => setAddress(e.target.value)}
            />
          ) : null}
          <TextAreaField
            label={offering?.requiresAddress ? t("book.needs") : t("book.notes")}
            optional
            maxLength={500}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
          <button type="submit" className="button button--block">
            {t("book.next")}
          </button>
        </form>
      )}
    </div>
  );
}

function SlotChoice({
  offering,
  slots,
  failed,
  onRetry,
  value,
  onChange,
  invalid,
}: {
  offering: Offering;
  slots: Slot[] | null;
  /** The slots could not be read (the error is shown beside): offer to read them again. */
  failed: boolean;
  onRetry: () => void;
  value: string;
  onChange: (slotId: string) => void;
  invalid: boolean;
}) {
  const t = useT();
  const { locale } = usePreferences();
  if (!slots && failed) {
    return (
      <button type="button" className="button button--secondary" onClick={onRetry}>
        {t("common.retry")}
      </button>
    );
  }
  if (!slots) return <p className="muted">{t("common.loading")}</p>;
  // Staff book outside the residents' booking window, but never onto a full slot without a waitlist.
  const choices = slots.filter((s) => s.status === "open" && (s.free > 0 || offering.waitlist));
  if (choices.length === 0) return <p className="muted">{t("offering.noSlots")}</p>;
  return (
    <RadioGroup
      legend={t("walkIn.slot")}
      name="slot"
      value={value}
      onChange={onChange}
      options={choices.map((s) => ({
        value: s.id,
        label: `${formatWhen(locale, s.startsAt, s.endsAt)} · ${
          s.free > 0 ? t("slot.free", { count: s.free }) : t("slot.waitlist")
        }`,
      }))}
      error={invalid ? t("invalid.slot") : undefined}
    />
  );
}

function Done({ booking, onAnother }: { booking: Booking; onAnother: () => void }) {
  const t = useT();
  const { locale } = usePreferences();
  return (
    <section className="card stack" aria-labelledby="walk-in-done-title">
      <h3 id="walk-in-done-title">{t("walkIn.done", { name: booking.person.name || t("person.unnamed") })}</h3>
      <p className="row">
        <BookingStatusBadge booking={booking} />
      </p>
      <p className="strong">{booking.offering.title}</p>
      <p>{formatWhen(locale, booking.slot.startsAt, booking.slot.endsAt)}</p>
      <p>
        {t("staffBooking.code")}{" "}
        <span className="check-in-code__value check-in-code__value--inline">{booking.code}</span>
      </p>
      <p className="muted">{t("walkIn.tellCode")}</p>
      <div className="row">
        <button type="button" className="button" onClick={onAnother}>
          {t("walkIn.another")}
        </button>
        <Link
          to="/staff/slots/$slotId"
          params={{ slotId: booking.slot.id }}
          search={{ date: shanghaiDate(booking.slot.startsAt) }}
          className="button button--secondary"
        >
          {t("walkIn.openSlot")}
        </Link>
      </div>
    </section>
  );
}
