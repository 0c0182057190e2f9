import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, redirect } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { PageHeading } from "../components/page";
import { api, unwrap } from "../lib/api";
import { formatDate, useT } from "../lib/i18n";
import { type Notice, noticeText } from "../lib/notices";
import { usePreferences } from "../lib/preferences";
import { notificationsQuery } from "../lib/queries";

export const Route = createFileRoute("/inbox")({
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(notificationsQuery),
  component: InboxPage,
});

/** Marks one notice (or all, without an id) read and refreshes the counts. */
function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string | null) =>
      unwrap(
        id
          ? api.notifications[":id"].read.$post({ param: { id }, query: {} })
          : api.notifications["read-all"].$post({ query: {} }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: notificationsQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: ["me"] }),
      ]),
  });
}

function InboxPage() {
  const t = useT();
  const { data } = useSuspenseQuery(notificationsQuery);
  const markAll = useMarkRead();
  return (
    <div className="page">
      <PageHeading
        title={t("inbox.title")}
        lead={data.unread > 0 ? t("inbox.unreadCount", { count: data.unread }) : t("inbox.allRead")}
      />
      {data.unread > 0 ? (
        <p>
          <button
            type="button"
            className="button button--secondary button--block"
            disabled={markAll.isPending}
            onClick={() => markAll.mutate(null)}
          >
            {t("inbox.markAllRead")}
          </button>
        </p>
      ) : null}
      <ErrorNotice error={markAll.error} />
      {data.notifications.length === 0 ? (
        <p className="muted">{t("inbox.empty")}</p>
      ) : (
        <ul className="list">
          {data.notifications.map((n) => (
            <NoticeItem key={n.id} notice={n} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** Where a notice points, from its link: a booking, a staff task's slot, or the reader's proxies. */
type Target =
  | { kind: "booking"; bookingId: string }
  | { kind: "task"; slotId: string; date: string }
  | { kind: "proxies" };

function targetOf(link: string | null): Target | null {
  if (!link) return null;
  const booking = link.match(/^\/bookings\/([\w-]+)$/);
  if (booking?.[1]) return { kind: "booking", bookingId: booking[1] };
  const task = link.match(/^\/staff\/slots\/([\w-]+)\?date=(\d{4}-\d{2}-\d{2})$/);
  if (task?.[1] && task[2]) return { kind: "task", slotId: task[1], date: task[2] };
  if (link === "/me") return { kind: "proxies" };
  return null;
}

/** The button that opens a notice's target (and marks the notice read). */
function TargetLink({ target, onOpen }: { target: Target; onOpen: () => void }) {
  const t = useT();
  const className = "button button--secondary button--small";
  if (target.kind === "booking")
    return (
      <Link to="/bookings/$bookingId" params={{ bookingId: target.bookingId }} className={className} onClick={onOpen}>
        {t("inbox.openBooking")}
      </Link>
    );
  if (target.kind === "task")
    return (
      <Link
        to="/staff/slots/$slotId"
        params={{ slotId: target.slotId }}
        search={{ date: target.date }}
        className={className}
        onClick={onOpen}
      >
        {t("inbox.openTask")}
      </Link>
    );
  return (
    <Link to="/me" hash="acting-for-me-title" className={className} onClick={onOpen}>
      {t("inbox.openProxies")}
    </Link>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  const t = useT();
  const { locale } = usePreferences();
  const mark = useMarkRead();
  const unread = notice.readAt === null;
  const target = targetOf(notice.link);
  const { title, body } = noticeText(t, locale, notice);
  return (
    <li className={unread ? "list__item notice-item notice-item--unread" : "list__item notice-item"}>
      <span className="row row--tight">
        {unread ? <span className="badge badge--warn">{t("inbox.unread")}</span> : null}
        <span className="list__title">{title}</span>
      </span>
      <p>{body}</p>
      <span className="muted small">{formatDate(locale, notice.createdAt, true)}</span>
      <div className="row">
        {target ? (
          <TargetLink
            target={target}
            onOpen={() => {
              if (unread) mark.mutate(notice.id);
            }}
          />
        ) : null}
        {unread ? (
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={mark.isPending}
            onClick={() => mark.mutate(notice.id)}
          >
            {t("inbox.markRead")}
            <span className="visually-hidden">{t("inbox.markReadWhich", { title })}</span>
          </button>
        ) : null}
      </div>
      <ErrorNotice error={mark.error} />
    </li>
  );
}
