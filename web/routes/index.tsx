import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, type LinkProps } from "@tanstack/react-router";
import { Icon, type IconName } from "../components/icon";
import { PageHeading } from "../components/page";
import { ElderModeSwitch } from "../components/preference-controls";
import { formatDate, type MessageKey, translateKnown, useT } from "../lib/i18n";
import { usePreferences } from "../lib/preferences";
import { meQuery } from "../lib/queries";

export const Route = createFileRoute("/")({
  loader: ({ context }) => context.queryClient.ensureQueryData(meQuery),
  component: HomePage,
});

interface Tile {
  to: LinkProps["to"];
  icon: IconName;
  title: MessageKey;
  desc: MessageKey;
}

const TILES: Tile[] = [
  { to: "/services", icon: "care", title: "tile.services", desc: "tile.servicesDesc" },
  { to: "/nearby", icon: "nearby", title: "tile.nearby", desc: "tile.nearbyDesc" },
  { to: "/bookings", icon: "bookings", title: "tile.bookings", desc: "tile.bookingsDesc" },
  { to: "/events", icon: "events", title: "tile.events", desc: "tile.eventsDesc" },
  { to: "/clinics", icon: "clinics", title: "tile.clinics", desc: "tile.clinicsDesc" },
  { to: "/courses", icon: "courses", title: "tile.courses", desc: "tile.coursesDesc" },
  { to: "/jobs", icon: "jobs", title: "tile.jobs", desc: "tile.jobsDesc" },
  { to: "/volunteer", icon: "people", title: "tile.volunteer", desc: "tile.volunteerDesc" },
  { to: "/me", icon: "me", title: "tile.me", desc: "tile.meDesc" },
];

const STAFF_TILE: Tile = { to: "/staff", icon: "staff", title: "tile.staff", desc: "tile.staffDesc" };

function greetingKey(now: Date): MessageKey {
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: "Asia/Shanghai" }).format(now),
  );
  if (hour < 12) return "home.morning";
  if (hour < 18) return "home.afternoon";
  return "home.evening";
}

function HomePage() {
  const t = useT();
  const { locale } = usePreferences();
  const { data: me } = useSuspenseQuery(meQuery);
  const greeting = t(greetingKey(new Date()));
  const name = me?.account.displayName;
  const title = name ? t("home.hello", { greeting, name }) : t("home.helloAnonymous", { greeting });
  const tiles = me?.isStaff ? [...TILES, STAFF_TILE] : TILES;

  return (
    <div className="page">
      <PageHeading title={title} lead={t("home.intro")} />

      {me && me.pendingProxyRequests > 0 ? (
        <Link to="/me" className="banner">
          {t("home.pending", { count: me.pendingProxyRequests })}
          <Icon name="chevron" className="chevron" />
        </Link>
      ) : null}

      {me ? (
        <section className="section" aria-labelledby="persons-title">
          <h2 id="persons-title">{t("home.persons")}</h2>
          <ul className="list">
            {me.persons.map((p) => (
              <li key={p.id} className="list__item">
                <span className="list__title">
                  {p.relationship === "self" ? t("person.self") : p.name || t("person.unnamed")}
                </span>
                <span className="muted small">
                  {p.relationship === "self"
                    ? (name ?? me.account.phoneMasked)
                    : translateKnown(t, `relationship.${p.relationship}`, p.relationship)}
                  {p.birthDate ? ` · ${t("person.born", { date: formatDate(locale, p.birthDate) })}` : ""}
                </span>
              </li>
            ))}
          </ul>
          {me.persons.length <= 1 ? <p className="muted secondary">{t("home.personsEmpty")}</p> : null}
        </section>
      ) : (
        <div className="card">
          <p>{t("home.signInPrompt")}</p>
          <Link to="/login" className="button button--block">
            {t("common.signIn")}
          </Link>
        </div>
      )}

      <section className="section" aria-labelledby="services-title">
        <h2 id="services-title">{t("home.services")}</h2>
        <ul className="tiles">
          {tiles.map((tile) => (
            <li key={tile.title}>
              <Link to={tile.to} className="tile">
                <Icon name={tile.icon} className="tile__icon" />
                <span className="tile__title">{t(tile.title)}</span>
                <span className="tile__desc secondary">{t(tile.desc)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="elder-title">
        <h2 id="elder-title" className="visually-hidden">
          {t("me.elderMode")}
        </h2>
        <ElderModeSwitch label={`${t("home.elderPrompt")} ${t("me.elderMode")}`} />
      </section>
    </div>
  );
}
