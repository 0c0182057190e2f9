import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Me } from "../../../../worker/features/me/me.schema";
import {
  PROXY_SCOPE_VALUES,
  type ProxyLink,
  ProxyRequestCreate,
  RELATIONSHIP_VALUES,
} from "../../../../worker/features/persons/persons.schema";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { focusFirstInvalid, RadioGroup, SelectField, TextField } from "../../../components/fields";
import { api, unwrap } from "../../../lib/api";
import { formatDate, translateKnown, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { personLinksQuery, proxyRequestsQuery } from "../../../lib/queries";

type LinkAction = "confirm" | "decline" | "revoke";

/** Confirm, decline or end a proxy link, then refresh everything that lists links. */
function useLinkAction(action: LinkAction) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => {
      const param = { id };
      if (action === "confirm") return unwrap(api["proxy-requests"][":id"].confirm.$post({ param, query: {} }));
      if (action === "decline") return unwrap(api["proxy-requests"][":id"].decline.$post({ param, query: {} }));
      return unwrap(api["proxy-links"][":id"].revoke.$post({ param, query: {}, json: {} }));
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["me"] }),
        queryClient.invalidateQueries({ queryKey: proxyRequestsQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: ["persons"] }),
      ]),
  });
}

export function ProxySections({ me }: { me: Me }) {
  const self = me.persons.find((p) => p.relationship === "self");
  return (
    <>
      <IncomingRequests />
      <ActFor me={me} />
      {self ? <ActingForMe personId={self.id} /> : null}
      <OutgoingRequests />
      <RequestForm />
    </>
  );
}

function IncomingRequests() {
  const t = useT();
  const { data } = useSuspenseQuery(proxyRequestsQuery);
  if (data.incoming.length === 0) return null;
  return (
    <section className="section" aria-labelledby="incoming-title">
      <h2 id="incoming-title">{t("me.incoming")}</h2>
      <ul className="list">
        {data.incoming.map((link) => (
          <IncomingItem key={link.id} link={link} />
        ))}
      </ul>
    </section>
  );
}

function IncomingItem({ link }: { link: ProxyLink }) {
  const t = useT();
  const confirm = useLinkAction("confirm");
  const decline = useLinkAction("decline");
  const busy = confirm.isPending || decline.isPending;
  return (
    <li className="list__item">
      <p>
        {t("me.incomingItem", {
          name: link.proxyName || t("me.someone"),
          phone: link.proxyPhoneMasked ?? "",
          relationship: t(`relationship.${link.relationship}`),
          scope: t(`scope.${link.scope}`),
        })}
      </p>
      <div className="row">
        <button type="button" className="button button--small" disabled={busy} onClick={() => confirm.mutate(link.id)}>
          {t("me.accept")}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={busy}
          onClick={() => decline.mutate(link.id)}
        >
          {t("me.decline")}
        </button>
      </div>
      <ErrorNotice error={confirm.error ?? decline.error} />
    </li>
  );
}

function ActFor({ me }: { me: Me }) {
  const t = useT();
  const others = me.persons.filter((p) => p.relationship !== "self" && p.linkId);
  return (
    <section className="section" aria-labelledby="act-for-title">
      <h2 id="act-for-title">{t("me.actFor")}</h2>
      {others.length === 0 ? (
        <p className="muted">{t("me.actForEmpty")}</p>
      ) : (
        <ul className="list">
          {others.map((p) => (
            <LinkItem
              key={p.id}
              linkId={p.linkId ?? ""}
              name={p.name || t("person.unnamed")}
              summary={t("me.linkSummary", {
                relationship: translateKnown(t, `relationship.${p.relationship}`, p.relationship),
                scope: translateKnown(t, `scope.${p.scope}`, p.scope),
              })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ActingForMe({ personId }: { personId: string }) {
  const t = useT();
  const { locale } = usePreferences();
  const { data: links } = useSuspenseQuery(personLinksQuery(personId));
  const active = links.filter((l) => l.status === "active");
  return (
    <section className="section" aria-labelledby="acting-for-me-title">
      <h2 id="acting-for-me-title">{t("me.actingForMe")}</h2>
      {active.length === 0 ? (
        <p className="muted">{t("me.actingForMeEmpty")}</p>
      ) : (
        <ul className="list">
          {active.map((l) => (
            <LinkItem
              key={l.id}
              linkId={l.id}
              name={l.proxyName || l.proxyPhoneMasked || t("me.someone")}
              summary={t("me.linkSummary", {
                relationship: t(`relationship.${l.relationship}`),
                scope: t(`scope.${l.scope}`),
              })}
              detail={
                l.consentMethod && l.consentRecordedAt
                  ? t("me.consentRecorded", {
                      method: t(`consent.${l.consentMethod}`),
                      date: formatDate(locale, l.consentRecordedAt),
                    })
                  : undefined
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function LinkItem({
  linkId,
  name,
  summary,
  detail,
}: {
  linkId: string;
  name: string;
  summary: string;
  detail?: string;
}) {
  const t = useT();
  const revoke = useLinkAction("revoke");
  return (
    <li className="list__item">
      <span className="list__title">{name}</span>
      <span className="muted">{summary}</span>
      {detail ? <span className="muted small secondary">{detail}</span> : null}
      <div>
        <ConfirmAction
          label={t("me.end")}
          question={t("me.endConfirm", { name })}
          confirmLabel={t("me.endYes")}
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(linkId)}
        />
      </div>
      <ErrorNotice error={revoke.error} />
    </li>
  );
}

function OutgoingRequests() {
  const t = useT();
  const { data } = useSuspenseQuery(proxyRequestsQuery);
  const open = data.outgoing.filter((l) => l.status !== "active");
  if (open.length === 0) return null;
  return (
    <section className="section" aria-labelledby="outgoing-title">
      <h2 id="outgoing-title">{t("me.outgoing")}</h2>
      <ul className="list">
        {open.map((link) => (
          <OutgoingItem key={link.id} link={link} />
        ))}
      </ul>
    </section>
  );
}

function OutgoingItem({ link }: { link: ProxyLink }) {
  const t = useT();
  const withdraw = useLinkAction("revoke");
  return (
    <li className="list__item">
      <span>
        {t("me.outgoingItem", {
          phone: link.personPhoneMasked ?? "",
          relationship: t(`relationship.${link.relationship}`),
          scope: t(`scope.${link.scope}`),
        })}
      </span>
      <div className="row">
        <span className={link.status === "pending" ? "badge" : "badge badge--muted"}>{t(`status.${link.status}`)}</span>
        {link.status === "pending" ? (
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={withdraw.isPending}
            onClick={() => withdraw.mutate(link.id)}
          >
            {t("me.withdraw")}
          </button>
        ) : null}
      </div>
      <ErrorNotice error={withdraw.error} />
    </li>
  );
}

const FAMILY_RELATIONSHIPS = RELATIONSHIP_VALUES.filter((r) => r !== "grid_worker");

function RequestForm() {
  const t = useT();
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState("");
  const [relationship, setRelationship] = useState<string>("child");
  const [scope, setScope] = useState<string>("all");
  const [phoneInvalid, setPhoneInvalid] = useState(false);

  const send = useMutation({
    mutationFn: (input: ProxyRequestCreate) => unwrap(api["proxy-requests"].$post({ query: {}, json: input })),
    onSuccess: () => {
      setPhone("");
      return queryClient.invalidateQueries({ queryKey: proxyRequestsQuery.queryKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = ProxyRequestCreate.safeParse({ phone, relationship, scope });
    setPhoneInvalid(parsed.error?.issues.some((i) => i.path[0] === "phone") ?? false);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) send.mutate(parsed.data);
  }

  return (
    <section className="section" aria-labelledby="request-title">
      <h2 id="request-title">{t("me.requestTitle")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <p className="muted">{t("me.requestIntro")}</p>
        <TextField
          label={t("me.requestPhone")}
          type="tel"
          inputMode="numeric"
          autoComplete="off"
          maxLength={11}
          value={phone}
          error={phoneInvalid ? t("invalid.phone") : undefined}
          onChange={(e) => {
            setPhone(e.target.value.replace(/\D/g, ""));
            send.reset();
          }}
        />
        <SelectField
          label={t("me.requestRelationship")}
          value={relationship}
          options={FAMILY_RELATIONSHIPS.map((r) => ({ value: r, label: t(`relationship.${r}`) }))}
          onChange={(e) => setRelationship(e.target.value)}
        />
        <RadioGroup
          legend={t("me.scope")}
          name="request-scope"
          value={scope}
          onChange={setScope}
          options={PROXY_SCOPE_VALUES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
        />
        <ErrorNotice error={send.error} />
        {send.isSuccess ? <SuccessNotice>{t("me.requestSent")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={send.isPending}>
          {t("me.sendRequest")}
        </button>
      </form>
    </section>
  );
}
