import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { z } from "zod";
import { Icon } from "../../components/icon";
import { EmptyState, PageHeading } from "../../components/page";
import { formatDay, formatPrice } from "../../lib/bookings";
import { COURSE_CATEGORIES, type CourseSummary, coursesQuery } from "../../lib/courses";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";

const CoursesSearch = z.object({
  category: z.enum(COURSE_CATEGORIES).optional().catch(undefined),
});

export const Route = createFileRoute("/courses/")({
  validateSearch: CoursesSearch,
  loaderDeps: ({ search }) => ({ category: search.category }),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(coursesQuery(deps.category)),
  component: CoursesPage,
});

function CoursesPage() {
  const t = useT();
  const { category } = Route.useSearch();
  const { data: courses } = useSuspenseQuery(coursesQuery(category));
  return (
    <div className="page">
      <PageHeading title={t("courses.title")} lead={t("courses.lead")} />
      <nav aria-label={t("courses.categories")}>
        <ul className="subnav">
          {[undefined, ...COURSE_CATEGORIES].map((c) => (
            <li key={c ?? "all"}>
              <Link
                to="/courses"
                search={{ category: c }}
                className="subnav__link"
                activeOptions={{ exact: true, includeSearch: true }}
                aria-current={category === c ? "page" : undefined}
                replace
              >
                {c ? t(`courseCategory.${c}`) : t("courses.all")}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="section" aria-labelledby="course-list-title">
        <h2 id="course-list-title">{category ? t(`courseCategory.${category}`) : t("courses.title")}</h2>
        {courses.length === 0 ? (
          <EmptyState icon="bookings" title={t("courses.emptyTitle")} body={t("courses.emptyBody")} />
        ) : (
          <ul className="list">
            {courses.map((course) => (
              <CourseItem key={course.id} course={course} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function CourseItem({ course }: { course: CourseSummary }) {
  const t = useT();
  const { locale } = usePreferences();
  return (
    <li className="list__item">
      <Link to="/courses/$courseId" params={{ courseId: course.id }} className="list__link">
        <span className="list__text">
          <span className="list__title">{course.title}</span>
          <span>
            {t("courses.dates", {
              from: formatDay(locale, course.firstStartsAt),
              to: formatDay(locale, course.lastEndsAt),
            })}
            {" · "}
            {t("courses.sessions", { count: course.sessionCount })}
          </span>
          <span className="muted small">
            {[
              course.organisationName,
              t(`courseMode.${course.mode}`),
              course.facilityName ?? course.placeText,
              formatPrice(t, course.priceFen),
            ]
              .filter(Boolean)
              .join(" · ")}
          </span>
          <SeatsBadge course={course} />
        </span>
        <Icon name="chevron" className="chevron" />
      </Link>
    </li>
  );
}

function SeatsBadge({ course }: { course: CourseSummary }) {
  const t = useT();
  if (course.begun) return <span className="badge badge--muted">{t("courses.begun")}</span>;
  if (course.seatsLeft > 0) {
    return <span className="badge badge--open">{t("courses.seatsLeft", { count: course.seatsLeft })}</span>;
  }
  return <span className="badge badge--warn">{t(course.waitlist ? "courses.fullWaitlist" : "courses.full")}</span>;
}
