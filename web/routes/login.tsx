import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { z } from "zod";
import { OtpCode, Phone } from "../../worker/features/auth/auth.schema";
import { ErrorNotice } from "../components/error-notice";
import { focusFirstInvalid, TextField } from "../components/fields";
import { PageHeading } from "../components/page";
import { api, unwrap } from "../lib/api";
import { useT } from "../lib/i18n";
import { usePreferences } from "../lib/preferences";
import { meQuery } from "../lib/queries";

const LoginSearch = z.object({
  // Only paths on this site: never an open redirect to another origin.
  redirect: z
    .string()
    .max(500)
    .regex(/^\/(?![/\\])/)
    .optional()
    .catch(undefined),
});

export const Route = createFileRoute("/login")({
  validateSearch: LoginSearch,
  beforeLoad: ({ context, search }) => {
    if (context.me) throw redirect({ href: search.redirect ?? "/" });
  },
  component: LoginPage,
});

interface SentCode {
  phone: string;
  minutes: number;
  retryAt: number;
}

function LoginPage() {
  const t = useT();
  const [sent, setSent] = useState<SentCode | null>(null);
  return (
    <div className="page">
      <PageHeading title={t("login.title")} lead={t("login.intro")} />
      <div className="card">
        {sent ? (
          <CodeStep sent={sent} onResent={setSent} onChangePhone={() => setSent(null)} />
        ) : (
          <PhoneStep onSent={setSent} />
        )}
      </div>
    </div>
  );
}

function useSendCode(onSent: (sent: SentCode) => void) {
  return useMutation({
    mutationFn: (phone: string) => unwrap(api.auth.otp.$post({ query: {}, json: { phone } })),
    onSuccess: (result, phone) =>
      onSent({
        phone,
        minutes: Math.round(result.expiresInSeconds / 60),
        retryAt: Date.now() + result.retryAfterSeconds * 1000,
      }),
  });
}

function PhoneStep({ onSent }: { onSent: (sent: SentCode) => void }) {
  const t = useT();
  const [phone, setPhone] = useState("");
  const [invalid, setInvalid] = useState(false);
  const send = useSendCode(onSent);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = Phone.safeParse(phone);
    setInvalid(!parsed.success);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) send.mutate(parsed.data);
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <TextField
        label={t("login.phone")}
        hint={t("login.phoneHint")}
        error={invalid ? t("invalid.phone") : undefined}
        type="tel"
        inputMode="numeric"
        autoComplete="tel-national"
        maxLength={11}
        value={phone}
        onChange={(e) => setPhone(e.target.value.replace(/\D/g, ""))}
      />
      <ErrorNotice error={send.error} />
      <button type="submit" className="button button--block" disabled={send.isPending}>
        {send.isPending ? t("login.sending") : t("login.sendCode")}
      </button>
    </form>
  );
}

function useSecondsUntil(at: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (now >= at) return;
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [now, at]);
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function CodeStep({
  sent,
  onResent,
  onChangePhone,
}: {
  sent: SentCode;
  onResent: (sent: SentCode) => void;
  onChangePhone: () => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const preferences = usePreferences();
  const { redirect: target } = Route.useSearch();
  const [code, setCode] = useState("");
  const [invalid, setInvalid] = useState(false);
  const wait = useSecondsUntil(sent.retryAt);
  const resend = useSendCode(onResent);

  const verify = useMutation({
    mutationFn: async (checked: string) => {
      const result = await unwrap(api.auth.verify.$post({ query: {}, json: { phone: sent.phone, code: checked } }));
      let me = await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
      if (me && result.isNew) {
        // A new account has no saved preference yet: it keeps what this device already uses.
        const { locale, elderMode } = preferences;
        if (locale !== me.account.locale || elderMode !== me.account.elderMode) {
          me = await unwrap(api.me.$patch({ query: {}, json: { locale, elderMode } }));
          queryClient.setQueryData(meQuery.queryKey, me);
        }
      } else if (me) {
        preferences.update({ locale: me.account.locale, elderMode: me.account.elderMode });
      }
    },
    onSuccess: () => navigate({ href: target ?? "/" }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = OtpCode.safeParse(code);
    setInvalid(!parsed.success);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) verify.mutate(parsed.data);
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <p role="status">{t("login.codeSent", { phone: sent.phone, minutes: sent.minutes })}</p>
      <TextField
        label={t("login.code")}
        hint={t("login.codeHint")}
        error={invalid ? t("invalid.code") : undefined}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        autoFocus
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))}
      />
      <ErrorNotice error={verify.error ?? resend.error} />
      <button type="submit" className="button button--block" disabled={verify.isPending}>
        {verify.isPending ? t("login.verifying") : t("login.submit")}
      </button>
      <div className="row">
        <button
          type="button"
          className="text-button"
          disabled={wait > 0 || resend.isPending}
          onClick={() => resend.mutate(sent.phone)}
        >
          {wait > 0 ? t("login.resendIn", { seconds: wait }) : t("login.resend")}
        </button>
        <button type="button" className="text-button" onClick={onChangePhone}>
          {t("login.changePhone")}
        </button>
      </div>
    </form>
  );
}
