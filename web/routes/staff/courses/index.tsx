import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { formatDay } from "../../../lib/bookings";
import { staffCoursesQuery } from "../../../lib/courses";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { ForbiddenError } from "../../../lib/roles";

export const Route = createFileRoute("/staff/courses/")({
  beforeLoad: ({ context }) => {
    if (!context.sections.courses) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context: { queryClient } }) => queryClient.ensureQueryData(staffCoursesQuery),
  component: StaffCoursesPage,
});

function StaffCoursesPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { data: courses } = useSuspenseQuery(staffCoursesQuery);
  return (
    <>
      <PageHeading title={t("staffCourses.title")} lead={t("staffCourses.lead")} />
      <p>
        <Link to="/staff/courses/new" className="button button--block">
          {t("staffCourses.new")}
        </Link>
      </p>
      {courses.length === 0 ? (
        <p className="muted">{t("staffCourses.empty")}</p>
      ) : (
        <ul className="list">
          {courses.map((course) => (
            <li key={course.id} className="list__item">
              <Link to="/staff/courses/$courseId" params={{ courseId: course.id }} className="list__link">
                <span className="list__text">
                  <span className="list__title">{course.title}</span>
                  <span>
                    {t("courses.dates", {
                      from: formatDay(locale, course.firstStartsAt),
                      to: formatDay(locale, course.lastEndsAt),
                    })}
                  </span>
                  <span className="muted small">
                    {[
                      course.organisationName,
                      t("courses.sessions", { count: course.sessionCount }),
                      t("staffCourses.enrolled", { taken: course.seats - course.seatsLeft, seats: course.seats }),
                    ].join(" · ")}
                  </span>
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
