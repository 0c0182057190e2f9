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

/** The booking a notice points at (`/bookings/{id}`), if it points at one. */
function bookingIdOf(link: string | null): string | null {
  return link?.match(/^\/bookings\/([\w-]+)$/)?.[1] ?? null;
}

/** The staff console's slot a task notice points at (`/staff/slots/{id}?date=YYYY-MM-DD`), if any. */
function taskSlotOf(link: string | null): { slotId: string; date: string } | null {
  const m = link?.match(/^\/staff\/slots\/([\w-]+)\?date=(\d{4}-\d{2}-\d{2})$/);
  return m?.[1] && m[2] ? { slotId: m[1], date: m[2] } : null;
}

function NoticeItem({ notice }: { notice: Notice }) {
  const t = useT();
  const { locale } = usePreferences();
  const mark = useMarkRead();
  const unread = notice.readAt === null;
  const bookingId = bookingIdOf(notice.link);
  const task = taskSlotOf(notice.link);
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
        {bookingId ? (
          <Link
            to="/bookings/$bookingId"
            params={{ bookingId }}
            className="button button--secondary button--small"
            onClick={() => {
              if (unread) mark.mutate(notice.id);
            }}
          >
            {t("inbox.openBooking")}
          </Link>
        ) : null}
        {task ? (
          <Link
            to="/staff/slots/$slotId"
            params={{ slotId: task.slotId }}
            search={{ date: task.date }}
            className="button button--secondary button--small"
            onClick={() => {
              if (unread) mark.mutate(notice.id);
            }}
          >
            {t("inbox.openTask")}
          </Link>
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
