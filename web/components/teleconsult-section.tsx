import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, unwrap } from "../lib/api";
import { formatMoment } from "../lib/bookings";
import { CONSENT_VERSION, teleconsultQuery } from "../lib/clinics";
import { useT } from "../lib/i18n";
import { usePreferences } from "../lib/preferences";
import { ConfirmAction } from "./confirm-action";
import { ErrorNotice, SuccessNotice } from "./error-notice";
import { TextAreaField } from "./fields";

/**
 * A tele-consultation on its booking's page, for the patient or their proxy: the separate consent
 * to keeping symptoms (health data, PIPL), the description for the doctor, withdrawing (which
 * deletes it), and the online room once the clinic has confirmed.
 */
export function TeleconsultSection({ bookingId }: { bookingId: string }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { data: consult } = useSuspenseQuery(teleconsultQuery(bookingId));
  const [text, setText] = useState(consult.symptoms ?? "");
  const [saved, setSaved] = useState(false);
  const [empty, setEmpty] = useState(false);
  const update = (after: typeof consult) => queryClient.setQueryData(teleconsultQuery(bookingId).queryKey, after);
  const param = { bookingId };
  const consent = useMutation({
    mutationFn: () =>
      unwrap(api.teleconsults[":bookingId"].consent.$post({ param, query: {}, json: { version: CONSENT_VERSION } })),
    onSuccess: update,
  });
  const withdraw = useMutation({
    mutationFn: () => unwrap(api.teleconsults[":bookingId"].consent.$delete({ param, query: {} })),
    onSuccess: (after) => {
      update(after);
      setText("");
      setSaved(false);
    },
  });
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.teleconsults[":bookingId"].symptoms.$put({ param, query: {}, json: { text: text.trim() } })),
    onSuccess: (after) => {
      update(after);
      setSaved(true);
    },
    // Refused (the consent withdrawn meanwhile, e.g. by a proxy): show it as it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: teleconsultQuery(bookingId).queryKey }),
  });
  const active = ["pending", "confirmed", "checked_in"].includes(consult.status);

  function submit(event: FormEvent) {
    event.preventDefault();
    setEmpty(!text.trim());
    setSaved(false);
    if (text.trim()) save.mutate();
  }

  return (
    <section className="section" aria-labelledby="teleconsult-title">
      <h2 id="teleconsult-title">{t("teleconsult.title")}</h2>
      <p>{t("teleconsult.doctor", { name: consult.doctorName })}</p>
      {consult.meetingLink ? (
        <a href={consult.meetingLink} className="button button--block" rel="noopener noreferrer" target="_blank">
          {t("teleconsult.link")}
        </a>
      ) : active ? (
        <p className="notice notice--info">{t("teleconsult.linkPending")}</p>
      ) : null}
      {!active && consult.consent ? (
        // The consent can be withdrawn at any time, also after the consultation.
        <div className="card form">
          <p className="muted small">
            {t("teleconsult.consented", { when: formatMoment(locale, consult.consent.at) })}
          </p>
          <ErrorNotice error={withdraw.error} />
          <ConfirmAction
            label={t("teleconsult.withdraw")}
            question={t("teleconsult.withdrawQuestion")}
            confirmLabel={t("teleconsult.withdraw")}
            busy={withdraw.isPending}
            onConfirm={() => withdraw.mutate()}
          />
        </div>
      ) : null}
      {active ? (
        consult.consent ? (
          <form className="card form" onSubmit={submit}>
            <p className="muted small">
              {t("teleconsult.consented", { when: formatMoment(locale, consult.consent.at) })}
            </p>
            <TextAreaField
              label={t("teleconsult.symptoms")}
              hint={t("teleconsult.symptomsHint")}
              rows={4}
              maxLength={2000}
              value={text}
              error={empty ? t("staffJobs.fieldInvalid") : undefined}
              onChange={(e) => {
                setText(e.target.value);
                setSaved(false);
              }}
            />
            {saved ? <SuccessNotice>{t("teleconsult.saved")}</SuccessNotice> : null}
            <ErrorNotice error={save.error ?? withdraw.error} />
            <button type="submit" className="button button--block" disabled={save.isPending}>
              {t("teleconsult.save")}
            </button>
            <ConfirmAction
              label={t("teleconsult.withdraw")}
              question={t("teleconsult.withdrawQuestion")}
              confirmLabel={t("teleconsult.withdraw")}
              busy={withdraw.isPending}
              onConfirm={() => withdraw.mutate()}
            />
          </form>
        ) : (
          <div className="card stack">
            <h3>{t("teleconsult.consentTitle")}</h3>
            <p>{t("teleconsult.consentText")}</p>
            <ErrorNotice error={consent.error} />
            <button
              type="button"
              className="button button--block"
              disabled={consent.isPending}
              onClick={() => consent.mutate()}
            >
              {t("teleconsult.consent")}
            </button>
          </div>
        )
      ) : null}
    </section>
  );
}
