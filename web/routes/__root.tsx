import { type QueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createRootRouteWithContext, Link, Outlet, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { BottomNav } from "../components/bottom-nav";
import { BrandMark, Icon } from "../components/icon";
import { LanguageButton } from "../components/preference-controls";
import { useT } from "../lib/i18n";
import { meQuery } from "../lib/queries";

export interface RouterContext {
  queryClient: QueryClient;
}

export const Route = createRootRouteWithContext<RouterContext>()({
  // Every route learns who is signed in (null when nobody is) before it loads.
  beforeLoad: async ({ context }) => ({ me: await context.queryClient.ensureQueryData(meQuery) }),
  component: AppShell,
});

function AppShell() {
  const t = useT();
  const mainRef = useRef<HTMLElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const firstPath = useRef(pathname);

  // After a client-side navigation, move focus to the new page so screen readers start there.
  useEffect(() => {
    if (pathname !== firstPath.current) mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand">
            <BrandMark className="brand__mark" />
            <span>{t("app.name")}</span>
            <span className="brand__tagline secondary">{t("app.tagline")}</span>
          </Link>
          <div className="topbar__actions">
            <InboxLink />
            <LanguageButton />
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <BottomNav />
    </>
  );
}

/** The bell in the header: the inbox, with the unread count in words for screen readers ("3 条未读"). */
function InboxLink() {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  if (!me) return null;
  const unread = me.unreadNotifications;
  return (
    <Link to="/inbox" className="icon-link">
      <Icon name="bell" className="icon-link__icon" />
      <span className="visually-hidden">{unread > 0 ? t("inbox.navUnread", { count: unread }) : t("inbox.nav")}</span>
      {unread > 0 ? (
        <span className="count-badge" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
