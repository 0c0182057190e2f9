import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, redirect } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { TextAreaField } from "../../components/fields";
import { EmptyState, PageHeading } from "../../components/page";
import { ScoreField, Stars } from "../../components/stars";
import { api, unwrap } from "../../lib/api";
import { formatWhen } from "../../lib/bookings";
import { servedRecordsQuery } from "../../lib/evaluations";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { hoursText } from "../../lib/volunteers";

export const Route = createFileRoute("/me/services")({
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(servedRecordsQuery),
  component: ServicesPage,
});

type Served = Awaited<ReturnType<NonNullable<typeof servedRecordsQuery.queryFn>>>[number];

/** Volunteer services received by me or someone I act for: each rated once it is done. */
function ServicesPage() {
  const t = useT();
  const { data: records } = useSuspenseQuery(servedRecordsQuery);
  return (
    <div className="page">
      <PageHeading title={t("served.title")} lead={t("served.lead")} />
      {records.length === 0 ? (
        <EmptyState icon="people" title={t("served.emptyTitle")} body={t("served.emptyBody")} />
      ) : (
        <ul className="list">
          {records.map((r) => (
            <ServedItem key={r.id} record={r} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ServedItem({ record: r }: { record: Served }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const [stars, setStars] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [missing, setMissing] = useState(false);
  const rate = useMutation({
    mutationFn: (body: { stars: number; comment?: string }) =>
      unwrap(api["service-records"][":id"].rating.$post({ param: { id: r.id }, query: {}, json: body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: servedRecordsQuery.queryKey }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setMissing(stars === null);
    if (stars === null) return;
    rate.mutate({ stars, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  }
  const titleId = `served-${r.id}`;
  return (
    <li className="list__item card stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="list__title">
        {r.title}
      </h2>
      <p>
        {formatWhen(locale, r.startedAt, r.startedAt + (r.minutes ?? 0) * 60_000)}
        {r.minutes ? ` · ${t("hours.hours", { hours: hoursText(r.minutes) })}` : ""}
      </p>
      <p className="muted">
        {t("served.for", { name: r.personName })} · {r.organisationName} ·{" "}
        {t("served.volunteer", { name: r.volunteerName, number: r.volunteerNumber ?? "" })}
      </p>
      {r.rating ? (
        <div className="stack">
          {rate.isSuccess ? <SuccessNotice>{t("served.thanks")}</SuccessNotice> : null}
          <p>
            {t("served.yourRating")} <Stars value={r.rating.stars} />
          </p>
          {r.rating.comment ? <p className="pre-line">{r.rating.comment}</p> : null}
        </div>
      ) : r.canRate ? (
        <form className="form" onSubmit={submit} noValidate>
          <ScoreField
            legend={t("served.rate")}
            value={stars}
            onChange={setStars}
            error={missing ? t("served.chooseStars") : undefined}
          />
          <TextAreaField
            label={t("served.comment")}
            optional
            maxLength={300}
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <ErrorNotice error={rate.error} messages={{ CONFLICT: "served.conflict" }} />
          <button type="submit" className="button" disabled={rate.isPending}>
            {t("served.submit")}
          </button>
        </form>
      ) : (
        <p className="muted">{r.status === "open" ? t("served.ongoing") : t("served.notYours")}</p>
      )}
    </li>
  );
}
