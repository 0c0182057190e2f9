import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, redirect, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { SelectField, TextField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { EmptyState, PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { shanghaiDate } from "../../../lib/bookings";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { hoursText, myCertificatesQuery, myHoursQuery, thisYear } from "../../../lib/volunteers";

export const Route = createFileRoute("/volunteer/certificates/")({
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loader: ({ context: { queryClient } }) =>
    Promise.all([
      queryClient.ensureQueryData(myCertificatesQuery),
      queryClient.ensureQueryData(myHoursQuery(thisYear())),
    ]),
  component: CertificatesPage,
});

function CertificatesPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { data: certificates } = useSuspenseQuery(myCertificatesQuery);
  return (
    <div className="page">
      <PageHeading title={t("certificates.title")} lead={t("certificates.lead")} />
      <RequestForm />
      <section className="section" aria-labelledby="certificates-list-title">
        <h2 id="certificates-list-title">{t("certificates.mine")}</h2>
        {certificates.length === 0 ? (
          <EmptyState icon="check" title={t("certificates.emptyTitle")} body={t("certificates.emptyBody")} />
        ) : (
          <ul className="list">
            {certificates.map((c) => (
              <li key={c.id} className="list__item">
                <Link
                  to="/volunteer/certificates/$certificateId"
                  params={{ certificateId: c.id }}
                  className="list__link"
                >
                  <span className="list__text">
                    <span className="list__title">{c.number}</span>
                    <span>
                      {c.organisationName} · {t("hours.hours", { hours: hoursText(c.minutes) })}
                    </span>
                    <span className="muted">
                      {formatDate(locale, c.periodFrom)} – {formatDate(locale, c.periodTo)}
                    </span>
                    <span className="badge">{t(`certificate.status.${c.status}`)}</span>
                  </span>
                  <Icon name="chevron" className="chevron" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** A certificate of one organisation's approved hours over a period (this year by default). */
function RequestForm() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: hours } = useSuspenseQuery(myHoursQuery(thisYear()));
  const organisations = hours.byOrganisation.filter((o) => o.approved > 0);
  const today = shanghaiDate(Date.now());
  const [organisationId, setOrganisationId] = useState(organisations[0]?.key ?? "");
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const issue = useMutation({
    mutationFn: () => unwrap(api.volunteers.me.certificates.$post({ query: {}, json: { organisationId, from, to } })),
    onSuccess: async (certificate) => {
      await queryClient.invalidateQueries({ queryKey: myCertificatesQuery.queryKey });
      await navigate({ to: "/volunteer/certificates/$certificateId", params: { certificateId: certificate.id } });
    },
  });
  if (organisations.length === 0) return <p className="card">{t("certificates.noHours")}</p>;
  function submit(event: FormEvent) {
    event.preventDefault();
    issue.mutate();
  }
  return (
    <section className="section" aria-labelledby="certificate-request-title">
      <h2 id="certificate-request-title">{t("certificates.request")}</h2>
      <form className="card form" onSubmit={submit}>
        <SelectField
          label={t("certificates.issuer")}
          value={organisationId}
          options={organisations.map((o) => ({
            value: o.key,
            label: `${o.label ?? o.key}（${t("hours.hours", { hours: hoursText(o.approved) })}）`,
          }))}
          onChange={(e) => setOrganisationId(e.target.value)}
        />
        <TextField
          label={t("certificates.from")}
          type="date"
          max={today}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <TextField
          label={t("certificates.to")}
          type="date"
          max={today}
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
        <ErrorNotice
          error={issue.error}
          messages={{ CONFLICT: "certificates.noHoursInPeriod", VALIDATION_FAILED: "certificates.periodInvalid" }}
        />
        <button type="submit" className="button button--block" disabled={issue.isPending}>
          {t("certificates.issue")}
        </button>
      </form>
    </section>
  );
}
