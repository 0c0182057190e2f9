import { queryOptions } from "@tanstack/react-query";
import { ApiError, api, unwrap } from "./api";

/** The signed-in account with roles and persons, or null when signed out. */
export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: async () => {
    try {
      return await unwrap(api.me.$get({ query: {} }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export const communitiesQuery = queryOptions({
  queryKey: ["communities"],
  queryFn: async () => (await unwrap(api.communities.$get({ query: {} }))).communities,
  staleTime: 60 * 60_000,
});

export const compoundsQuery = (communityId: string) =>
  queryOptions({
    queryKey: ["communities", communityId, "compounds"],
    queryFn: async () =>
      (await unwrap(api.communities[":id"].compounds.$get({ param: { id: communityId }, query: {} }))).compounds,
    staleTime: 60 * 60_000,
  });

/** The person types communities record (独居老人, 空巢老人 …); changes only with a deployment. */
export const personTypesQuery = queryOptions({
  queryKey: ["person-types"],
  queryFn: async () => (await unwrap(api["person-types"].$get({ query: {} }))).types,
  staleTime: 60 * 60_000,
});

export const organisationsQuery = queryOptions({
  queryKey: ["organisations"],
  queryFn: async () => (await unwrap(api.organisations.$get({ query: {} }))).organisations,
  staleTime: 10 * 60_000,
});

export const proxyRequestsQuery = queryOptions({
  queryKey: ["proxy-requests"],
  queryFn: () => unwrap(api["proxy-requests"].$get({ query: {} })),
});

export const personLinksQuery = (personId: string) =>
  queryOptions({
    queryKey: ["persons", personId, "proxy-links"],
    queryFn: async () =>
      (await unwrap(api.persons[":id"]["proxy-links"].$get({ param: { id: personId }, query: {} }))).links,
  });

export const personQuery = (personId: string) =>
  queryOptions({
    queryKey: ["persons", personId],
    queryFn: () => unwrap(api.persons[":id"].$get({ param: { id: personId }, query: {} })),
    // Each staff read is written to the audit log; do not re-read on every focus or revisit.
    staleTime: 5 * 60_000,
  });

export interface PersonSearch {
  communityId?: string | undefined;
  q?: string | undefined;
  page: number;
}

export const staffPersonsQuery = (search: PersonSearch) =>
  queryOptions({
    queryKey: ["staff", "persons", search],
    queryFn: () =>
      unwrap(
        api.persons.$get({
          query: {
            page: String(search.page),
            ...(search.q ? { q: search.q } : {}),
            ...(search.communityId ? { communityId: search.communityId } : {}),
          },
        }),
      ),
  });

export const grantsQuery = queryOptions({
  queryKey: ["staff", "grants"],
  queryFn: async () => (await unwrap(api.admin.grants.$get({ query: {} }))).grants,
});

/**
 * An organisation's staff and admins by name (one entry per account): whom its bookings, such as
 * home visits, can be assigned to. Any of its staff may ask, and street admins.
 */
export const organisationStaffQuery = (organisationId: string) =>
  queryOptions({
    queryKey: ["staff", "organisation-staff", organisationId],
    queryFn: async () =>
      (await unwrap(api.organisations[":id"].staff.$get({ param: { id: organisationId }, query: {} }))).staff,
    staleTime: 5 * 60_000,
  });

export const auditQuery = (before: number | undefined) =>
  queryOptions({
    queryKey: ["staff", "audit", before ?? "latest"],
    queryFn: () => unwrap(api.admin.audit.$get({ query: before ? { before: String(before) } : {} })),
  });

/** Text messages failed for good and waiting (street admins). */
export const messagesQuery = queryOptions({
  queryKey: ["staff", "messages"],
  queryFn: () => unwrap(api.admin.messages.$get({ query: {} })),
});

/** The walking model and the optional map tile layer; changes only with a deployment. */
export const configQuery = queryOptions({
  queryKey: ["config"],
  queryFn: () => unwrap(api.config.$get({ query: {} })),
  staleTime: 60 * 60_000,
});

export type Pace = "normal" | "elder";

/** Where walking times start: a compound, or a community's office when no compound is chosen. */
export type NearbyOrigin = { compoundId: string } | { communityId: string };

export interface NearbyFilters {
  origin: NearbyOrigin;
  kinds: string[];
  openNow: boolean;
  pace: Pace;
}

/** The API's largest page; the 15-minute circle of one compound rarely holds more. */
const NEARBY_PAGE_SIZE = 100;
const NEARBY_MAX_PAGES = 10;

/** Every facility within 15 minutes' walk of the origin, nearest first (all pages). */
export const nearbyQuery = (filters: NearbyFilters) =>
  queryOptions({
    queryKey: ["nearby", filters],
    queryFn: async () => {
      const query = {
        ...("compoundId" in filters.origin
          ? { compoundId: filters.origin.compoundId }
          : { communityId: filters.origin.communityId }),
        ...(filters.kinds.length ? { kinds: filters.kinds.join(",") } : {}),
        ...(filters.openNow ? { openNow: "true" as const } : {}),
        pace: filters.pace,
        pageSize: String(NEARBY_PAGE_SIZE),
      };
      const first = await unwrap(api.nearby.$get({ query: { ...query, page: "1" } }));
      const items = [...first.items];
      for (let page = 2; items.length < first.total && page <= NEARBY_MAX_PAGES; page++) {
        const next = await unwrap(api.nearby.$get({ query: { ...query, page: String(page) } }));
        if (next.items.length === 0) break;
        items.push(...next.items);
      }
      return { ...first, items };
    },
  });

/** Facilities of a community (or the whole street), by name: the first page of 50. */
export const facilityListQuery = (filter: { communityId: string | null; q: string }) =>
  queryOptions({
    queryKey: ["facilities", "list", filter],
    queryFn: () =>
      unwrap(
        api.facilities.$get({
          query: {
            ...(filter.communityId ? { communityId: filter.communityId } : {}),
            ...(filter.q.trim() ? { q: filter.q.trim() } : {}),
            page: "1",
          },
        }),
      ),
    staleTime: 5 * 60_000,
  });

export const facilityQuery = (facilityId: string) =>
  queryOptions({
    queryKey: ["facilities", facilityId],
    queryFn: () => unwrap(api.facilities[":id"].$get({ param: { id: facilityId }, query: {} })),
  });

/** Staff: the street's coverage summary (both paces) and the compounds × required kinds grid at `pace`. */
export const streetCoverageQuery = (pace: Pace) =>
  queryOptions({
    queryKey: ["staff", "coverage", "street", pace],
    queryFn: () => unwrap(api.coverage.street.$get({ query: { pace } })),
    staleTime: 5 * 60_000,
  });

/** The elderly-care catalogue (every organisation's care offerings). */
export const careOfferingsQuery = queryOptions({
  queryKey: ["offerings", "care"],
  queryFn: async () => (await unwrap(api.offerings.$get({ query: { kind: "care" } }))).offerings,
  staleTime: 5 * 60_000,
});

export const offeringQuery = (offeringId: string) =>
  queryOptions({
    queryKey: ["offerings", offeringId],
    queryFn: () => unwrap(api.offerings[":id"].$get({ param: { id: offeringId }, query: {} })),
    staleTime: 5 * 60_000,
  });

/**
 * How far ahead an offering's slot list reaches: an event's page and sign-up list every date it
 * has (within 400 days; the same value all day, so the page and the booking form share the list), and
 * a course its enrolment, however far ahead it begins;
 * other offerings, 30 days.
 */
export function slotsHorizon(kind: string): number | undefined {
  const day = 86_400_000;
  return kind === "event" || kind === "training" ? (Math.floor(Date.now() / day) + 400) * day : undefined;
}

/** The key of every list of an offering's slots, whatever range it covers (to refresh them all). */
export const slotsKeyOf = (offeringId: string) => ["offerings", offeringId, "slots"];

/**
 * An offering's open slots, with free places: from now for 30 days, or until `to` (epoch ms) — an
 * event's page lists every date it has.
 */
export const offeringSlotsQuery = (offeringId: string, to?: number) =>
  queryOptions({
    queryKey: ["offerings", offeringId, "slots", to ?? "30 days"],
    queryFn: async () =>
      (
        await unwrap(
          api.offerings[":id"].slots.$get({
            param: { id: offeringId },
            query: to === undefined ? {} : { to: String(to) },
          }),
        )
      ).slots,
  });

export type BookingsWhen = "upcoming" | "past" | "all";

/** Bookings of me and the persons I act for (or of one of them). */
export const myBookingsQuery = (filter: { when: BookingsWhen; personId?: string | undefined }) =>
  queryOptions({
    queryKey: ["bookings", "mine", filter.when, filter.personId ?? "all"],
    queryFn: async () =>
      (
        await unwrap(
          api.bookings.mine.$get({
            query: { when: filter.when, ...(filter.personId ? { personId: filter.personId } : {}) },
          }),
        )
      ).bookings,
  });

export const bookingQuery = (bookingId: string) =>
  queryOptions({
    queryKey: ["bookings", bookingId],
    queryFn: () => unwrap(api.bookings[":id"].$get({ param: { id: bookingId }, query: {} })),
  });

export const notificationsQuery = queryOptions({
  queryKey: ["notifications"],
  queryFn: () => unwrap(api.notifications.$get({ query: {} })),
});

export const calendarFeedQuery = queryOptions({
  queryKey: ["calendar-feed"],
  queryFn: () => unwrap(api.me["calendar-feed"].$get({ query: {} })),
});

/** Staff: a day's slots of my organisations (all of them for a street admin) with fill level. */
export const staffDaySlotsQuery = (date: string) =>
  queryOptions({
    queryKey: ["staff", "slots", date],
    queryFn: () => unwrap(api.staff.slots.$get({ query: { date } })),
  });

/** Staff: who is booked on a slot (phones masked). */
export const slotBookingsQuery = (slotId: string) =>
  queryOptions({
    queryKey: ["staff", "slot-bookings", slotId],
    queryFn: async () => (await unwrap(api.slots[":id"].bookings.$get({ param: { id: slotId }, query: {} }))).bookings,
  });

/** Staff: the offerings of these organisations, or every offering (null, street admin). */
export const staffOfferingsQuery = (organisationIds: string[] | null) =>
  queryOptions({
    queryKey: ["staff", "offerings", organisationIds ?? "all"],
    queryFn: async () => {
      if (!organisationIds) return (await unwrap(api.offerings.$get({ query: {} }))).offerings;
      const lists = await Promise.all(
        organisationIds.map((organisationId) => unwrap(api.offerings.$get({ query: { organisationId } }))),
      );
      return lists.flatMap((l) => l.offerings);
    },
    staleTime: 5 * 60_000,
  });
