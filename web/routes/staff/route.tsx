import { createFileRoute, Link, Outlet, redirect } from "@tanstack/react-router";
import { useT } from "../../lib/i18n";
import { ForbiddenError, staffSections } from "../../lib/roles";

export const Route = createFileRoute("/staff")({
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
    if (!context.me.isStaff) throw new ForbiddenError("staff.forbiddenTitle", "staff.forbiddenBody");
    return { me: context.me, sections: staffSections(context.me) };
  },
  component: StaffLayout,
});

function StaffLayout() {
  const t = useT();
  const { sections } = Route.useRouteContext();
  return (
    <div className="page">
      <nav aria-label={t("staff.nav")} className="no-print">
        <ul className="subnav">
          <li>
            <Link to="/staff" className="subnav__link" activeOptions={{ exact: true }}>
              {t("staff.overview")}
            </Link>
          </li>
          {sections.bookings ? (
            <>
              <li>
                <Link to="/staff/slots" className="subnav__link">
                  {t("staff.slots")}
                </Link>
              </li>
              <li>
                <Link to="/staff/check-in" className="subnav__link">
                  {t("staff.checkIn")}
                </Link>
              </li>
              <li>
                <Link to="/staff/walk-in" className="subnav__link">
                  {t("staff.walkIn")}
                </Link>
              </li>
              <li>
                <Link to="/staff/offerings" className="subnav__link">
                  {t("staff.offerings")}
                </Link>
              </li>
              <li>
                <Link to="/staff/volunteer-work" className="subnav__link">
                  {t("staff.volunteerWork")}
                </Link>
              </li>
            </>
          ) : null}
          {sections.events ? (
            <li>
              <Link to="/staff/events" className="subnav__link">
                {t("staff.events")}
              </Link>
            </li>
          ) : null}
          {sections.clinic ? (
            <li>
              <Link to="/staff/clinic" className="subnav__link">
                {t("staff.clinic")}
              </Link>
            </li>
          ) : null}
          {sections.courses ? (
            <li>
              <Link to="/staff/courses" className="subnav__link">
                {t("staff.courses")}
              </Link>
            </li>
          ) : null}
          {sections.jobs ? (
            <li>
              <Link to="/staff/jobs" className="subnav__link">
                {t("staff.jobs")}
              </Link>
            </li>
          ) : null}
          {sections.persons ? (
            <li>
              <Link to="/staff/persons" className="subnav__link">
                {t("staff.persons")}
              </Link>
            </li>
          ) : null}
          {sections.volunteers ? (
            <li>
              <Link to="/staff/volunteers" className="subnav__link">
                {t("staff.volunteers")}
              </Link>
            </li>
          ) : null}
          {sections.volunteers ? (
            <li>
              <Link to="/staff/assessments" className="subnav__link">
                {t("staff.assessments")}
              </Link>
            </li>
          ) : null}
          {sections.coverage ? (
            <li>
              <Link to="/staff/coverage" className="subnav__link">
                {t("staff.coverage")}
              </Link>
            </li>
          ) : null}
          {sections.grants ? (
            <li>
              <Link to="/staff/grants" className="subnav__link">
                {t("staff.grants")}
              </Link>
            </li>
          ) : null}
          {sections.audit ? (
            <li>
              <Link to="/staff/audit" className="subnav__link">
                {t("staff.audit")}
              </Link>
            </li>
          ) : null}
          {sections.messages ? (
            <li>
              <Link to="/staff/messages" className="subnav__link">
                {t("staff.messages")}
              </Link>
            </li>
          ) : null}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
