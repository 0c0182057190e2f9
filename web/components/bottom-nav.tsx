import { useSuspenseQuery } from "@tanstack/react-query";
import { Link, type LinkProps } from "@tanstack/react-router";
import { type MessageKey, useT } from "../lib/i18n";
import { meQuery } from "../lib/queries";
import { Icon, type IconName } from "./icon";

const ITEMS: Array<{ to: LinkProps["to"]; label: MessageKey; icon: IconName; exact?: boolean }> = [
  { to: "/", label: "nav.home", icon: "home", exact: true },
  { to: "/nearby", label: "nav.nearby", icon: "nearby" },
  { to: "/bookings", label: "nav.bookings", icon: "bookings" },
  { to: "/events", label: "nav.events", icon: "events" },
  { to: "/me", label: "nav.me", icon: "me" },
];

/** The five main places, always at the thumb; the active one carries `aria-current="page"`. */
export function BottomNav() {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  const pending = me?.pendingProxyRequests ?? 0;
  return (
    <nav className="bottom-nav" aria-label={t("nav.label")}>
      <ul className="bottom-nav__list">
        {ITEMS.map((item) => (
          <li key={item.label}>
            <Link to={item.to} className="bottom-nav__link" activeOptions={{ exact: item.exact ?? false }}>
              <Icon name={item.icon} className="bottom-nav__icon" />
              <span>{t(item.label)}</span>
              {item.to === "/me" && pending > 0 ? (
                <>
                  <span className="dot" aria-hidden="true" />
                  <span className="visually-hidden">{t("home.pending", { count: pending })}</span>
                </>
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
