import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, notFound, redirect } from "@tanstack/react-router";
import { FileDownload } from "../../../components/file-download";
import { PageHeading } from "../../../components/page";
import { ApiError } from "../../../lib/api";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { certificateQuery, hoursText } from "../../../lib/volunteers";

export const Route = createFileRoute("/volunteer/certificates/$certificateId")({
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await queryClient.ensureQueryData(certificateQuery(params.certificateId));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) throw notFound();
      throw error;
    }
  },
  component: CertificatePage,
});

/** The certificate as printed (print styles hide the site around it); its QR code opens the public check. */
function CertificatePage() {
  const t = useT();
  const { locale } = usePreferences();
  const { certificateId } = Route.useParams();
  const { data: c } = useSuspenseQuery(certificateQuery(certificateId));
  return (
    <div className="page">
      <div className="no-print">
        <PageHeading title={t("certificate.pageTitle")} lead={c.number} />
        <FileDownload
          className="button button--block"
          href={`/api/certificates/${c.id}/certificate.pdf`}
          label={t("certificate.downloadPdf")}
          fallbackName={`${c.number}.pdf`}
        />
        <button type="button" className="button button--secondary button--block" onClick={() => window.print()}>
          {t("certificate.print")}
        </button>
        <p className="muted">{t("certificate.printHint")}</p>
      </div>
      <article className="certificate card" aria-labelledby="certificate-heading">
        <h2 id="certificate-heading" className="certificate__title">
          {t("certificate.heading")}
        </h2>
        {c.status === "revoked" ? <p className="certificate__revoked">{t("certificate.revoked")}</p> : null}
        <p className="certificate__body">
          {t("certificate.body", {
            name: c.realName,
            from: formatDate(locale, c.periodFrom),
            to: formatDate(locale, c.periodTo),
            organisation: c.organisationName,
            hours: hoursText(c.minutes),
            records: c.records,
          })}
        </p>
        <dl className="details">
          <dt>{t("volunteer.realName")}</dt>
          <dd>{c.realName}</dd>
          <dt>{t("volunteer.idNumber")}</dt>
          <dd>{c.idMasked}</dd>
          <dt>{t("volunteer.number")}</dt>
          <dd>{c.volunteerNumber}</dd>
          <dt>{t("certificate.hours")}</dt>
          <dd>{t("hours.hours", { hours: hoursText(c.minutes) })}</dd>
          <dt>{t("certificate.period")}</dt>
          <dd>
            {formatDate(locale, c.periodFrom)} – {formatDate(locale, c.periodTo)}
          </dd>
          <dt>{t("certificate.issuer")}</dt>
          <dd>{c.organisationName}</dd>
          <dt>{t("certificate.number")}</dt>
          <dd className="strong">{c.number}</dd>
          <dt>{t("certificate.issuedAt")}</dt>
          <dd>{formatDate(locale, c.issuedAt)}</dd>
        </dl>
        <figure className="certificate__qr">
          <img
            src={`/api/certificates/verify/${c.number}/qr.svg`}
            alt={t("certificate.qrAlt")}
            width={160}
            height={160}
          />
          <figcaption>{t("certificate.verifyAt", { url: `${window.location.origin}/verify/${c.number}` })}</figcaption>
        </figure>
      </article>
    </div>
  );
}
