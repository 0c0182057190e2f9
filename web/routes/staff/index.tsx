import { createFileRoute, Link, type LinkProps } from "@tanstack/react-router";
import { Icon } from "../../components/icon";
import { PageHeading } from "../../components/page";
import { type MessageKey, useT } from "../../lib/i18n";

export const Route = createFileRoute("/staff/")({
  component: StaffOverview,
});

function StaffOverview() {
  const t = useT();
  const { me, sections } = Route.useRouteContext();
  const entries: Array<{ show: boolean; to: LinkProps["to"]; title: MessageKey; desc: MessageKey }> = [
    { show: sections.bookings, to: "/staff/slots", title: "staff.slots", desc: "staff.slotsDesc" },
    { show: sections.bookings, to: "/staff/check-in", title: "staff.checkIn", desc: "staff.checkInDesc" },
    { show: sections.bookings, to: "/staff/walk-in", title: "staff.walkIn", desc: "staff.walkInDesc" },
    { show: sections.bookings, to: "/staff/offerings", title: "staff.offerings", desc: "staff.offeringsDesc" },
    {
      show: sections.bookings,
      to: "/staff/volunteer-work",
      title: "staff.volunteerWork",
      desc: "staff.volunteerWorkDesc",
    },
    { show: sections.bookings, to: "/volunteer/teams", title: "staff.teams", desc: "staff.teamsDesc" },
    { show: sections.events, to: "/staff/events", title: "staff.events", desc: "staff.eventsDesc" },
    { show: sections.persons, to: "/staff/persons", title: "staff.persons", desc: "staff.personsDesc" },
    { show: sections.volunteers, to: "/staff/volunteers", title: "staff.volunteers", desc: "staff.volunteersDesc" },
    {
      show: sections.volunteers,
      to: "/staff/assessments",
      title: "staff.assessments",
      desc: "staff.assessmentsDesc",
    },
    { show: sections.coverage, to: "/staff/coverage", title: "staff.coverage", desc: "staff.coverageDesc" },
    { show: sections.grants, to: "/staff/grants", title: "staff.grants", desc: "staff.grantsDesc" },
    { show: sections.audit, to: "/staff/audit", title: "staff.audit", desc: "staff.auditDesc" },
    { show: sections.messages, to: "/staff/messages", title: "staff.messages", desc: "staff.messagesDesc" },
  ];
  const open = entries.filter((e) => e.show);
  return (
    <>
      <PageHeading title={t("staff.title")} lead={t("staff.intro")} />
      {open.length > 0 ? (
        <ul className="list">
          {open.map((e) => (
            <li key={e.title} className="list__item">
              <Link to={e.to} className="list__link">
                <span className="list__text">
                  <span className="list__title">{t(e.title)}</span>
                  <span className="muted small">{t(e.desc)}</span>
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <section className="section" aria-labelledby="staff-roles-title">
        <h2 id="staff-roles-title">{t("me.roles")}</h2>
        <ul className="list">
          {me.roles.map((r) => (
            <li key={r.id} className="list__item">
              <span className="list__title">{t(`role.${r.role}`)}</span>
              <span className="muted small">{r.scopeName ?? t("grants.streetWide")}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
