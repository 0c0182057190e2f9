import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { CourseCertificateNumber } from "../../../worker/features/courses/courses.schema";
import { CertificateNumber } from "../../../worker/features/volunteers/certificates.schema";
import { focusFirstInvalid, TextField } from "../../components/fields";
import { PageHeading } from "../../components/page";
import { useT } from "../../lib/i18n";

export const Route = createFileRoute("/verify/")({
  component: VerifyPage,
});

/** Anyone (an employer, a school) checks a service certificate's number; no sign-in. */
function VerifyPage() {
  const t = useT();
  const navigate = useNavigate();
  const [number, setNumber] = useState("");
  const [invalid, setInvalid] = useState(false);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // A volunteer's service certificate (JZC-…) or a course's completion certificate (JZT-…).
    const parsed = CertificateNumber.or(CourseCertificateNumber).safeParse(number);
    setInvalid(!parsed.success);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) void navigate({ to: "/verify/$number", params: { number: parsed.data } });
  }
  return (
    <div className="page">
      <PageHeading title={t("verify.title")} lead={t("verify.lead")} />
      <form className="card form" onSubmit={submit} noValidate>
        <TextField
          label={t("certificate.number")}
          hint={t("verify.hint")}
          autoCapitalize="characters"
          maxLength={20}
          value={number}
          error={invalid ? t("verify.invalid") : undefined}
          onChange={(e) => setNumber(e.target.value)}
        />
        <button type="submit" className="button button--block">
          {t("verify.check")}
        </button>
      </form>
    </div>
  );
}
