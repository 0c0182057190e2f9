import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useRef, useState } from "react";
import type { OutboxMessage } from "../../../worker/features/admin/admin.schema";
import { ErrorNotice, SuccessNotice } from "../../components/error-notice";
import { PageHeading } from "../../components/page";
import { api, unwrap } from "../../lib/api";
import { formatDate, translateKnown, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { messagesQuery } from "../../lib/queries";
import { ForbiddenError } from "../../lib/roles";
import { useFocusWhenLost } from "../../lib/use-focus-when-lost";

export const Route = createFileRoute("/staff/messages")({
  beforeLoad: ({ context }) => {
    if (!context.sections.messages) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(messagesQuery),
  component: MessagesPage,
});

/**
 * Text messages as the street's administrators see them: those that failed for good (the provider
 * refused them five times, or was down for over an hour), to send again, and those waiting. Never
 * a message's text (it may hold a sign-in code), and numbers masked.
 */
function MessagesPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { data } = useSuspenseQuery(messagesQuery);
  // A message sent again leaves the failed list: the page says so, and takes the focus there —
  // a refusal too (the row may go with the list's refetch: sent meanwhile, or expired).
  const [retried, setRetried] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const page = useRef<HTMLDivElement>(null);
  const notice = useRef<HTMLDivElement>(null);
  useFocusWhenLost(page, notice);
  return (
    <div ref={page}>
      <PageHeading title={t("messages.title")} lead={t("staff.messagesDesc")} />
      <p>
        {t("messages.counts", {
          waiting: data.counts.waiting,
          failed: data.counts.failed,
          sent: data.counts.sentLastDay,
        })}
      </p>
      <div ref={notice} tabIndex={-1}>
        {retried ? <SuccessNotice>{t("messages.retried", { what: retried })}</SuccessNotice> : null}
        <ErrorNotice error={refusal} messages={{ CONFLICT: "messages.retryRefused" }} />
      </div>
      <section className="section" aria-labelledby="failed-title">
        <h2 id="failed-title">{t("messages.failedTitle")}</h2>
        {data.failed.length === 0 ? (
          <p className="muted">{t("messages.failedEmpty")}</p>
        ) : (
          <ul className="list">
            {data.failed.map((m) => (
              <FailedMessage
                key={m.id}
                message={m}
                onRetried={(what) => {
                  setRefusal(null);
                  setRetried(what);
                }}
                onRefused={(error) => {
                  setRetried(null);
                  setRefusal(error);
                }}
              />
            ))}
          </ul>
        )}
      </section>
      <section className="section" aria-labelledby="waiting-title">
        <h2 id="waiting-title">{t("messages.waitingTitle")}</h2>
        {data.waiting.length === 0 ? (
          <p className="muted">{t("messages.waitingEmpty")}</p>
        ) : (
          <ul className="list">
            {data.waiting.map((m) => (
              <li key={m.id} className="list__item">
                <MessageSummary message={m} />
                <span className="small">
                  {m.status === "sending"
                    ? t("messages.sending")
                    : m.dueAt
                      ? t("messages.nextTry", { when: formatDate(locale, m.dueAt, true) })
                      : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The template's name, e.g. "提前一天提醒" for reminder-24h (the raw name for one not known here). */
function useTemplateName(template: string) {
  const t = useT();
  return translateKnown(t, `smsTemplate.${template}`, template);
}

/** What a message is, to whom, when, and how it went — the same for failed and waiting ones. */
function MessageSummary({ message }: { message: OutboxMessage }) {
  const t = useT();
  const { locale } = usePreferences();
  return (
    <>
      <span className="list__title">{useTemplateName(message.template)}</span>
      <span className="small">
        {t("messages.to", { phone: message.recipientMasked })} · {formatDate(locale, message.createdAt, true)} ·{" "}
        {t("messages.attempts", { n: message.attempts })}
      </span>
      {message.error ? <span className="muted small">{t("messages.error", { error: message.error })}</span> : null}
    </>
  );
}

function FailedMessage({
  message,
  onRetried,
  onRefused,
}: {
  message: OutboxMessage;
  onRetried: (what: string) => void;
  onRefused: (error: unknown) => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const name = useTemplateName(message.template);
  const retry = useMutation({
    mutationFn: () => unwrap(api.admin.messages[":id"].retry.$post({ param: { id: message.id }, query: {} })),
    onSuccess: () => onRetried(`${name} ${message.recipientMasked}`),
    onError: onRefused,
    // Also after a refusal (it expired, or was sent again meanwhile): show the lists as they are now.
    onSettled: () => queryClient.invalidateQueries({ queryKey: messagesQuery.queryKey }),
  });
  return (
    <li className="list__item">
      <MessageSummary message={message} />
      {message.expired ? (
        <span className="muted small">{t("messages.expired")}</span>
      ) : (
        <div className="row">
          <button
            type="button"
            className="button button--small"
            disabled={retry.isPending}
            onClick={() => retry.mutate()}
          >
            {t("messages.retry")}
            <span className="visually-hidden">
              {" "}
              {name} {message.recipientMasked}
            </span>
          </button>
        </div>
      )}
    </li>
  );
}
