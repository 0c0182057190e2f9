import type { Me } from "../../worker/features/me/me.schema";
import type { MessageKey } from "./i18n";

type Role = Me["roles"][number]["role"];

function holds(me: Me, roles: Role[]): boolean {
  return me.roles.some((r) => roles.includes(r.role));
}

/** Which staff-console sections this account may open (the API checks again on every call). */
export function staffSections(me: Me) {
  return {
    grants: holds(me, ["street_admin", "org_admin"]),
    persons: holds(me, ["street_admin", "community_staff", "grid_worker"]),
    audit: holds(me, ["street_admin"]),
    /** Text messages that failed, to send again. */
    messages: holds(me, ["street_admin"]),
    coverage: holds(me, ["street_admin", "community_staff"]),
    /** Volunteer registrations to approve, suspend or reinstate. */
    volunteers: holds(me, ["street_admin", "community_staff"]),
    streetAdmin: holds(me, ["street_admin"]),
    /** Slots, check-in, walk-in bookings and schedules of the account's organisations. */
    bookings: holds(me, ["street_admin", "org_staff", "org_admin"]),
    /** Community events: organisations publish or submit them, community staff review them. */
    events: holds(me, ["street_admin", "org_staff", "org_admin", "community_staff"]),
    eventReview: holds(me, ["street_admin", "community_staff"]),
    /** Clinics: departments, doctors' schedules, slots, family-doctor requests (org staff of a clinic). */
    clinic: me.roles.some(
      (r) =>
        r.role === "street_admin" ||
        ((r.role === "org_staff" || r.role === "org_admin") && r.organisationType === "clinic"),
    ),
    /** Training courses: organisations publish them, take attendance and close them. */
    courses: holds(me, ["street_admin", "org_staff", "org_admin"]),
    /** Job postings: organisations publish them, street admins review them. */
    jobs: holds(me, ["street_admin", "org_staff", "org_admin"]),
  };
}

/** The organisations whose services this account runs; null means all of them (street admin). */
export function staffOrganisations(me: Me): string[] | null {
  if (holds(me, ["street_admin"])) return null;
  return [
    ...new Set(
      me.roles
        .filter((r) => (r.role === "org_staff" || r.role === "org_admin") && r.organisationId)
        .map((r) => r.organisationId ?? ""),
    ),
  ];
}

/**
 * Communities whose persons this account manages (or, with `roles`, in which it holds one of
 * them), with names; null means all (street admin).
 */
export function managedCommunities(
  me: Me,
  roles: Role[] = ["community_staff", "grid_worker"],
): Array<{ id: string; name: string }> | null {
  if (holds(me, ["street_admin"])) return null;
  const seen = new Map<string, string>();
  for (const r of me.roles) {
    if (roles.includes(r.role) && r.communityId) {
      seen.set(r.communityId, r.scopeName ?? r.communityId);
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

/** Thrown from `beforeLoad` when the signed-in account may not open a route; shown as a forbidden screen. */
export class ForbiddenError extends Error {
  readonly titleKey: MessageKey;
  readonly bodyKey: MessageKey;

  constructor(titleKey: MessageKey, bodyKey: MessageKey) {
    super("Forbidden");
    this.name = "ForbiddenError";
    this.titleKey = titleKey;
    this.bodyKey = bodyKey;
  }
}
