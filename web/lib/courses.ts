import { queryOptions } from "@tanstack/react-query";
import type { CourseCategory } from "../../worker/features/courses/courses.schema";
import { api, unwrap } from "./api";

export type {
  Course,
  CourseCategory,
  CourseSchedule,
  CourseSummary,
} from "../../worker/features/courses/courses.schema";
export {
  COURSE_CATEGORIES,
  COURSE_MODES,
  CourseInput,
  sessionsNeeded,
  sessionTimes,
} from "../../worker/features/courses/courses.schema";

export const coursesQuery = (category: CourseCategory | undefined) =>
  queryOptions({
    queryKey: ["courses", "list", category ?? "all"],
    queryFn: async () => (await unwrap(api.courses.$get({ query: category ? { category } : {} }))).courses,
    staleTime: 60_000,
  });

export const courseQuery = (courseId: string) =>
  queryOptions({
    queryKey: ["courses", courseId],
    queryFn: () => unwrap(api.courses[":id"].$get({ param: { id: courseId }, query: {} })),
  });

export const staffCoursesQuery = queryOptions({
  queryKey: ["staff", "courses"],
  queryFn: async () => (await unwrap(api.staff.courses.$get({ query: {} }))).courses,
});

export const rosterQuery = (courseId: string) =>
  queryOptions({
    queryKey: ["courses", courseId, "roster"],
    queryFn: () => unwrap(api.courses[":id"].roster.$get({ param: { id: courseId }, query: {} })),
  });

export const courseVerificationQuery = (number: string) =>
  queryOptions({
    queryKey: ["course-certificates", "verify", number],
    queryFn: () => unwrap(api["course-certificates"].verify[":number"].$get({ param: { number }, query: {} })),
    retry: false,
  });
