import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { GUARDIAN_CONSENT_METHODS } from "../../../../db/schema/volunteers";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { focusFirstInvalid, RadioGroup, TextAreaField } from "../../../components/fields";
import { PageHeading } from "../../../components/page";
import { api, unwrap } from "../../../lib/api";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { availabilityText, optionLabel, type StaffVolunteer, staffVolunteerQuery } from "../../../lib/volunteers";

export const Route = createFileRoute("/staff/volunteers/$volunteerId")({
  // Each read is audited: load it when staff open it, never on a hover.
  preload: false,
  loader: ({ context: { queryClient }, params }) =>
    queryClient.ensureQueryData(staffVolunteerQuery(params.volunteerId)),
  component: VolunteerPage,
});

function VolunteerPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { volunteerId } = Route.useParams();
  const { data: v } = useSuspenseQuery(staffVolunteerQuery(volunteerId));
  const list = (group: string, codes: string[]) =>
    codes.map((c) => optionLabel(t, group, c)).join(t("common.listSeparator")) || "—";
  return (
    <>
      <PageHeading title={v.realName} lead={t(`volunteer.status.${v.status}`)} />
      <section className="section" aria-labelledby="registration-title">
        <h2 id="registration-title">{t("staffVolunteers.registration")}</h2>
        <dl className="card details">
          {v.number ? (
            <>
              <dt>{t("volunteer.number")}</dt>
              <dd>{v.number}</dd>
            </>
          ) : null}
          <dt>{t("volunteer.idNumber")}</dt>
          <dd>{v.idMasked}</dd>
          <dt>{t("staffVolunteers.ageBirth")}</dt>
          <dd>
            {t("volunteer.age", { age: v.age })} · {formatDate(locale, v.birthDate)}
          </dd>
          <dt>{t("persons.phone")}</dt>
          <dd>{v.phoneMasked ?? "—"}</dd>
          <dt>{t("volunteer.community")}</dt>
          <dd>{v.communityName}</dd>
          <dt>{t("volunteer.skills")}</dt>
          <dd>{list("skill", v.skills)}</dd>
          {v.skillsNote ? (
            <>
              <dt>{t("volunteer.skillsNote")}</dt>
              <dd>{v.skillsNote}</dd>
            </>
          ) : null}
          <dt>{t("volunteer.languages")}</dt>
          <dd>{list("language", v.languages)}</dd>
          <dt>{t("volunteer.availability")}</dt>
          <dd>{availabilityText(t, v.availability) || "—"}</dd>
          <dt>{t("volunteer.emergency")}</dt>
          <dd>
            {v.emergencyName}（{optionLabel(t, "relationship", v.emergencyRelationship)}）· {v.emergencyPhoneMasked}
          </dd>
          {v.guardianName ? (
            <>
              <dt>{t("volunteer.guardian")}</dt>
              <dd>
                {v.guardianName}（{optionLabel(t, "guardianRelationship", v.guardianRelationship ?? "")}）·{" "}
                {v.guardianPhoneMasked}
              </dd>
              <dt>{t("staffVolunteers.guardianConsent")}</dt>
              <dd>
                {v.guardianConsentMethod && v.guardianConsentAt
                  ? `${t(`volunteer.guardianConsent.${v.guardianConsentMethod}`)} · ${formatDate(locale, v.guardianConsentAt, true)}`
                  : t("staffVolunteers.guardianConsentMissing")}
              </dd>
            </>
          ) : null}
          <dt>{t("volunteer.appliedAt")}</dt>
          <dd>{formatDate(locale, v.appliedAt, true)}</dd>
          {v.reason ? (
            <>
              <dt>{t("staffVolunteers.reason")}</dt>
              <dd>{v.reason}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <Decisions volunteer={v} />
    </>
  );
}

type Step = "approve" | "reject" | "suspend" | "reinstate";

/** What staff can decide from here, by the registration's status. */
function Decisions({ volunteer }: { volunteer: StaffVolunteer }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [consent, setConsent] = useState("");
  const [invalid, setInvalid] = useState<"reason" | "consent" | null>(null);
  const decide = useMutation({
    mutationFn: ({ step, body }: { step: Step; body: Record<string, unknown> }) => {
      const route = api.staff.volunteers[":id"];
      const args = { param: { id: volunteer.id }, query: {} };
      switch (step) {
        case "approve":
          return unwrap(route.approve.$post({ ...args, json: body }));
        case "reject":
          return unwrap(route.reject.$post({ ...args, json: { reason: String(body.reason ?? "") } }));
        case "suspend":
          return unwrap(route.suspend.$post({ ...args, json: { reason: String(body.reason ?? "") } }));
        case "reinstate":
          return unwrap(route.reinstate.$post({ ...args, json: body }));
      }
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(staffVolunteerQuery(volunteer.id).queryKey, updated);
      queryClient.invalidateQueries({ queryKey: ["staff", "volunteers"], exact: false, refetchType: "none" });
      setReason("");
    },
  });

  function run(step: Step, form: HTMLFormElement | null) {
    if ((step === "reject" || step === "suspend") && reason.trim().length < 2) {
      setInvalid("reason");
      focusFirstInvalid(form);
      return;
    }
    if (step === "approve" && volunteer.minor && !consent) {
      setInvalid("consent");
      focusFirstInvalid(form);
      return;
    }
    setInvalid(null);
    const body: Record<string, unknown> =
      step === "approve"
        ? volunteer.minor
          ? { guardianConsent: { method: consent } }
          : {}
        : reason.trim()
          ? { reason: reason.trim() }
          : {};
    decide.mutate({ step, body });
  }

  const steps: Step[] =
    volunteer.status === "pending"
      ? ["approve", "reject"]
      : volunteer.status === "approved"
        ? ["suspend"]
        : volunteer.status === "suspended"
          ? ["reinstate"]
          : [];
  const done = decide.isSuccess ? decide.variables?.step : undefined;
  if (steps.length === 0) {
    return done ? <SuccessNotice>{t(`staffVolunteers.done.${done}`)}</SuccessNotice> : null;
  }
  return (
    <section className="section" aria-labelledby="decide-title">
      <h2 id="decide-title">{t("staffVolunteers.decide")}</h2>
      <form className="card form" onSubmit={(e: FormEvent) => e.preventDefault()} noValidate>
        {volunteer.minor && steps.includes("approve") ? (
          <RadioGroup
            legend={t("staffVolunteers.guardianConsentHow")}
            name="guardian-consent"
            options={GUARDIAN_CONSENT_METHODS.map((m) => ({ value: m, label: t(`volunteer.guardianConsent.${m}`) }))}
            value={consent}
            onChange={setConsent}
            error={invalid === "consent" ? t("staffVolunteers.guardianConsentNeeded") : undefined}
          />
        ) : null}
        {steps.some((s) => s !== "approve") ? (
          <TextAreaField
            label={t("staffVolunteers.reason")}
            hint={t("staffVolunteers.reasonHint")}
            optional={steps.includes("reinstate")}
            rows={2}
            maxLength={300}
            value={reason}
            error={invalid === "reason" ? t("staffVolunteers.reasonNeeded") : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
        ) : null}
        <ErrorNotice error={decide.error} messages={{ CONFLICT: "staffVolunteers.conflict" }} />
        {done ? <SuccessNotice>{t(`staffVolunteers.done.${done}`)}</SuccessNotice> : null}
        <div className="row">
          {steps.map((step) => (
            <button
              key={step}
              type="button"
              className={step === "reject" || step === "suspend" ? "button button--danger" : "button"}
              disabled={decide.isPending}
              onClick={(e) => run(step, e.currentTarget.form)}
            >
              {t(`staffVolunteers.step.${step}`)}
            </button>
          ))}
        </div>
      </form>
    </section>
  );
}
