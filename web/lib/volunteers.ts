import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import { hoursText } from "../../worker/features/volunteers/service-records.schema";
import type { StaffVolunteer, Volunteer } from "../../worker/features/volunteers/volunteers.schema";
import {
  ADULT_AGE,
  type DAY_PARTS,
  MIN_VOLUNTEER_AGE,
  type VolunteerOptions,
  type WEEKDAYS,
} from "../../worker/features/volunteers/volunteers.schema";
import { ageOn, shanghaiDate } from "../../worker/lib/shanghai";
import { api, unwrap } from "./api";
import { hasMessage, type Translate } from "./i18n";

export type { StaffVolunteer, Volunteer };
export type VolunteerOptionsData = z.infer<typeof VolunteerOptions>;
export type Weekday = (typeof WEEKDAYS)[number];
export type DayPart = (typeof DAY_PARTS)[number];

export const volunteerOptionsQuery = queryOptions({
  queryKey: ["volunteers", "options"],
  queryFn: () => unwrap(api.volunteers.options.$get({ query: {} })),
  staleTime: 60 * 60_000,
});

export const myVolunteerQuery = queryOptions({
  queryKey: ["volunteers", "me"],
  queryFn: async () => (await unwrap(api.volunteers.me.$get({ query: {} }))).volunteer,
});

export interface StaffVolunteerSearch {
  status?: Volunteer["status"] | undefined;
  communityId?: string | undefined;
  q?: string | undefined;
  page: number;
}

export const staffVolunteersQuery = (search: StaffVolunteerSearch) =>
  queryOptions({
    queryKey: ["staff", "volunteers", search],
    queryFn: () =>
      unwrap(
        api.staff.volunteers.$get({
          query: {
            page: String(search.page),
            ...(search.status ? { status: search.status } : {}),
            ...(search.q ? { q: search.q } : {}),
            ...(search.communityId ? { communityId: search.communityId } : {}),
          },
        }),
      ),
  });

export const staffVolunteerQuery = (id: string) =>
  queryOptions({
    queryKey: ["staff", "volunteers", id],
    queryFn: () => unwrap(api.staff.volunteers[":id"].$get({ param: { id }, query: {} })),
    // Each read is audited: not again on every focus.
    staleTime: 5 * 60_000,
  });

/** A code's label from the catalogue (`volunteer.skill.elderly_care` …), or the code itself. */
export function optionLabel(t: Translate, group: string, code: string): string {
  const key = `volunteer.${group}.${code}`;
  return hasMessage(key) ? t(key) : code;
}

/** "周六上午、周日下午" — the availability cells in the grid's order. */
export function availabilityText(t: Translate, cells: readonly string[]): string {
  return cells
    .map((cell) => {
      const [day = "", part = ""] = cell.split("-");
      return `${optionLabel(t, "day", day)}${optionLabel(t, "part", part)}`;
    })
    .join(t("common.listSeparator"));
}

/** Whole years old today (Beijing), from a YYYY-MM-DD birth date; null when unknown. */
export function ageToday(birthDate: string | null): number | null {
  return birthDate ? ageOn(birthDate, shanghaiDate(Date.now())) : null;
}

export { ADULT_AGE, MIN_VOLUNTEER_AGE };

export const volunteerShiftsQuery = queryOptions({
  queryKey: ["volunteers", "shifts"],
  queryFn: () => unwrap(api["volunteer-shifts"].$get({ query: {} })),
});

export const myHoursQuery = (year: number) =>
  queryOptions({
    queryKey: ["volunteers", "hours", year],
    queryFn: () => unwrap(api.volunteers.me.hours.$get({ query: { year: String(year) } })),
  });

export const myServiceRecordsQuery = (year: number) =>
  queryOptions({
    queryKey: ["volunteers", "records", year],
    queryFn: async () =>
      (await unwrap(api.volunteers.me["service-records"].$get({ query: { year: String(year) } }))).records,
  });

export const teamsQuery = queryOptions({
  queryKey: ["volunteers", "teams"],
  queryFn: async () => (await unwrap(api["volunteer-teams"].$get({ query: {} }))).teams,
});

export const teamMembersQuery = (teamId: string) =>
  queryOptions({
    queryKey: ["volunteers", "teams", teamId, "members"],
    queryFn: async () =>
      (await unwrap(api["volunteer-teams"][":id"].members.$get({ param: { id: teamId }, query: {} }))).members,
  });

export const staffServiceRecordsQuery = (status: "pending" | "approved" | "rejected" | "open" | undefined) =>
  queryOptions({
    queryKey: ["staff", "service-records", status ?? "all"],
    queryFn: async () => (await unwrap(api.staff["service-records"].$get({ query: status ? { status } : {} }))).records,
  });

export { hoursText };

/** This year on Beijing time. */
export function thisYear(): number {
  return Number(shanghaiDate(Date.now()).slice(0, 4));
}

export const myCertificatesQuery = queryOptions({
  queryKey: ["volunteers", "certificates"],
  queryFn: async () => (await unwrap(api.volunteers.me.certificates.$get({ query: {} }))).certificates,
});

export const certificateQuery = (id: string) =>
  queryOptions({
    queryKey: ["certificates", id],
    queryFn: () => unwrap(api.certificates[":id"].$get({ param: { id }, query: {} })),
  });

export const verificationQuery = (number: string) =>
  queryOptions({
    queryKey: ["certificates", "verify", number],
    queryFn: () => unwrap(api.certificates.verify[":number"].$get({ param: { number }, query: {} })),
    retry: false,
  });

export const leaderboardQuery = (communityId: string) =>
  queryOptions({
    queryKey: ["volunteers", "leaderboard", communityId],
    queryFn: () =>
      unwrap(api.communities[":id"]["volunteer-leaderboard"].$get({ param: { id: communityId }, query: {} })),
  });

export const staffCertificatesQuery = queryOptions({
  queryKey: ["staff", "certificates"],
  queryFn: async () => (await unwrap(api.staff.certificates.$get({ query: {} }))).certificates,
});

export const statementQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: ["volunteers", "statement", from, to],
    queryFn: () => unwrap(api.volunteers.me.statement.$get({ query: { from, to } })),
  });
