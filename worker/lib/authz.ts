import type { Context } from "hono";
import type { Role } from "../../db/schema";
import type { AppEnv, SessionAccount } from "../env";
import { currentAccount } from "../middleware/session";
import { ApiError } from "./errors";

/** The signed-in account, or a 401. */
export async function requireAccount(c: Context<AppEnv>): Promise<SessionAccount> {
  const account = await currentAccount(c);
  if (!account) throw new ApiError("UNAUTHENTICATED", "Sign in first");
  return account;
}

export function isStreetAdmin(account: SessionAccount): boolean {
  return account.grants.some((g) => g.role === "street_admin");
}

/** Communities in which the account holds one of `roles` (community staff and grid workers by default). */
export function communityScopes(
  account: SessionAccount,
  roles: Role[] = ["community_staff", "grid_worker"],
): Set<string> {
  const ids = new Set<string>();
  for (const g of account.grants) if (roles.includes(g.role) && g.communityId) ids.add(g.communityId);
  return ids;
}

/** Organisations in which the account holds one of `roles`. */
export function organisationScopes(account: SessionAccount, roles: Role[] = ["org_staff", "org_admin"]): Set<string> {
  const ids = new Set<string>();
  for (const g of account.grants) if (roles.includes(g.role) && g.organisationId) ids.add(g.organisationId);
  return ids;
}

/** Staff of this organisation (org staff or admin), or a street admin: who acts on its services, records and certificates. */
export function staffOfOrganisation(account: SessionAccount, organisationId: string): boolean {
  return isStreetAdmin(account) || organisationScopes(account).has(organisationId);
}

const STAFF_ROLES: Role[] = ["org_staff", "org_admin", "community_staff", "grid_worker", "street_admin"];

export function isStaff(account: SessionAccount): boolean {
  return account.grants.some((g) => STAFF_ROLES.includes(g.role));
}

/** The signed-in account if it holds any staff role, else 403 (401 when signed out). */
export async function requireStaff(c: Context<AppEnv>): Promise<SessionAccount> {
  const account = await requireAccount(c);
  if (!isStaff(account)) throw new ApiError("FORBIDDEN", "Staff only");
  return account;
}

/** The signed-in account if it is a street admin, else 403 (401 when signed out). */
export async function requireStreetAdmin(c: Context<AppEnv>): Promise<SessionAccount> {
  const account = await requireStaff(c);
  if (!isStreetAdmin(account)) throw new ApiError("FORBIDDEN", "Street admins only");
  return account;
}

/** May this account manage persons (create, link proxies) in `communityId`? */
export function canManageCommunity(account: SessionAccount, communityId: string | null): boolean {
  if (isStreetAdmin(account)) return true;
  return communityId !== null && communityScopes(account).has(communityId);
}
