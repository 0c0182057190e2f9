import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { RadioGroup, TextAreaField } from "../../components/fields";
import { Icon } from "../../components/icon";
import { OpenBadge } from "../../components/open-badge";
import { PageHeading } from "../../components/page";
import { ApiError, api, unwrap } from "../../lib/api";
import { bookablePersons, personLabel } from "../../lib/bookings";
import { type Clinic, clinicQuery, mySigningsQuery } from "../../lib/clinics";
import { WEEKDAYS } from "../../lib/facilities";
import { useT } from "../../lib/i18n";
import { meQuery } from "../../lib/queries";

export const Route = createFileRoute("/clinics/$clinicId")({
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await Promise.all([
        queryClient.ensureQueryData(clinicQuery(params.clinicId)),
        queryClient.ensureQueryData(meQuery),
      ]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: ClinicPage,
});

function ClinicPage() {
  const t = useT();
  const { clinicId } = Route.useParams();
  const { data: clinic } = useSuspenseQuery(clinicQuery(clinicId));
  return (
    <div className="page">
      <p>
        <Link to="/clinics" className="back-link" activeOptions={{ exact: true }}>
          <Icon name="chevron" className="back-link__icon" />
          {t("clinics.back")}
        </Link>
      </p>
      <PageHeading title={clinic.name} lead={clinic.address ?? undefined} />
      <div className="card stack">
        <p>
          <OpenBadge openNow={clinic.openNow} />
        </p>
        {clinic.phone ? (
          <a href={`tel:${clinic.phone.replace(/[^0-9+]/g, "")}`} className="button button--secondary button--block">
            {t("clinics.call", { phone: clinic.phone })}
          </a>
        ) : null}
        {clinic.facilityId ? (
          <Link to="/facilities/$facilityId" params={{ facilityId: clinic.facilityId }} className="place-link">
            {t("clinics.facility")}
          </Link>
        ) : null}
        <p>
          <span className="strong">{t("clinics.services")}：</span>
          {clinic.services.map((s) => t(`clinicService.${s}`)).join("、")}
        </p>
      </div>
      <Departments clinic={clinic} />
      {clinic.services.includes("family_doctor") ? <FamilyDoctor clinic={clinic} /> : null}
    </div>
  );
}

function Departments({ clinic }: { clinic: Clinic }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="departments-title">
      <h2 id="departments-title">{t("clinics.departments")}</h2>
      {clinic.departments.map((d) => {
        const doctors = clinic.doctors.filter((doc) => doc.departmentId === d.id);
        return (
          <div key={d.id} className="card stack">
            <h3>{d.name}</h3>
            <p className="muted">{d.services.map((s) => t(`clinicService.${s}`)).join("、")}</p>
            <p>
              <span className={`badge ${d.openToday > 0 ? "badge--open" : "badge--muted"}`}>
                {d.openToday > 0 ? t("clinics.openToday", { count: d.openToday }) : t("clinics.noneToday")}
              </span>
            </p>
            {doctors.length === 0 ? <p className="muted">{t("clinics.noDoctors")}</p> : null}
            <ul className="list">
              {doctors.map((doc) => (
                <li key={doc.id} className="list__item stack">
                  <span className="list__title">
                    {doc.name} · {t(`doctorTitle.${doc.title}`)}
                  </span>
                  {doc.specialty ? <span>{doc.specialty}</span> : null}
                  {doc.schedule.length > 0 ? (
                    <span className="muted small">
                      {doc.schedule
                        .map((b) =>
                          t("clinics.scheduleLine", {
                            weekday: t(`weekday.${WEEKDAYS[b.weekday - 1] ?? "mon"}`),
                            start: b.start,
                            end: b.end,
                            kind: t(`clinics.kind.${b.kind}`),
                          }),
                        )
                        .join("；")}
                    </span>
                  ) : null}
                  <span className="row">
                    {doc.clinicOfferingId ? (
                      <Link
                        to="/services/$offeringId"
                        params={{ offeringId: doc.clinicOfferingId }}
                        className="button button--small"
                      >
                        {t("clinics.book")}
                        <span className="visually-hidden"> {doc.name}</span>
                      </Link>
                    ) : null}
                    {doc.teleconsultOfferingId ? (
                      <Link
                        to="/services/$offeringId"
                        params={{ offeringId: doc.teleconsultOfferingId }}
                        className="button button--secondary button--small"
                      >
                        {t("clinics.teleconsult")}
                        <span className="visually-hidden"> {doc.name}</span>
                      </Link>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function FamilyDoctor({ clinic }: { clinic: Clinic }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { data: me } = useSuspenseQuery(meQuery);
  const signings = useQuery({ ...mySigningsQuery, enabled: me !== null });
  // A signing is about the person's health: themselves, or those one acts for in all matters.
  const persons = me ? bookablePersons(me).filter((p) => p.relationship === "self" || p.scope === "all") : [];
  const [personId, setPersonId] = useState(persons[0]?.id ?? "");
  const [note, setNote] = useState("");
  const ask = useMutation({
    mutationFn: () =>
      unwrap(
        api["family-doctor"].signings.$post({
          query: {},
          json: { organisationId: clinic.id, personId, note: note.trim() },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mySigningsQuery.queryKey }),
  });
  const cancel = useMutation({
    mutationFn: (id: string) => unwrap(api["family-doctor"].signings[":id"].cancel.$post({ param: { id }, query: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mySigningsQuery.queryKey }),
  });
  const open = (signings.data ?? []).filter((s) => s.status === "requested" || s.status === "accepted");
  function submit(event: FormEvent) {
    event.preventDefault();
    if (personId) ask.mutate();
  }
  return (
    <section className="section" aria-labelledby="family-doctor-title">
      <h2 id="family-doctor-title">{t("familyDoctor.title")}</h2>
      <p>{t("familyDoctor.lead")}</p>
      {!me ? (
        <div className="card">
          <p>{t("familyDoctor.signInFirst")}</p>
          <Link to="/login" search={{ redirect: `/clinics/${clinic.id}` }} className="button button--block">
            {t("common.signIn")}
          </Link>
        </div>
      ) : (
        <>
          {open.length > 0 ? (
            <ul className="list" aria-label={t("familyDoctor.mine")}>
              {open.map((s) => (
                <li key={s.id} className="list__item stack">
                  <span className="list__title">
                    {s.personName} · {s.organisationName}
                  </span>
                  <span className={`badge ${s.status === "accepted" ? "badge--ok" : "badge--warn"}`}>
                    {t(`signingStatus.${s.status}`)}
                  </span>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={cancel.isPending}
                    onClick={() => cancel.mutate(s.id)}
                  >
                    {s.status === "accepted" ? t("familyDoctor.end") : t("familyDoctor.cancel")}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <form className="card form" onSubmit={submit}>
            {persons.length > 1 ? (
              <RadioGroup
                legend={t("familyDoctor.who")}
                name="signing-person"
                value={personId}
                onChange={setPersonId}
                options={persons.map((p) => ({ value: p.id, label: personLabel(t, p) }))}
              />
            ) : null}
            <TextAreaField
              label={t("familyDoctor.note")}
              optional
              rows={2}
              maxLength={200}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            {ask.isSuccess ? <SuccessNotice>{t("familyDoctor.requested")}</SuccessNotice> : null}
            <ErrorNotice error={ask.error ?? cancel.error} />
            <button type="submit" className="button button--block" disabled={ask.isPending}>
              {t("familyDoctor.request")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
