import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { isStaff, requireAccount } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { maskPhone } from "../../lib/phone";
import { now } from "../../lib/time";
import { unreadCount } from "../notifications/notifications.queries";
import { actablePersons, ownPerson } from "../persons/persons.queries";
import { findCommunity, findCompound } from "../places/places.queries";
import { findAccount, grantsWithScopeNames, pendingRequestCount, updateProfile } from "./me.queries";
import { Me, MeUpdate } from "./me.schema";

const getMe = createRoute({
  method: "get",
  path: "/me",
  tags: ["me"],
  summary: "My account, my roles and the persons I may act for",
  request: { query: NoQuery },
  security: cookieAuth,
  responses: { 200: jsonResponse(Me, "Me"), ...errors(401) },
});

const patchMe = createRoute({
  method: "patch",
  path: "/me",
  tags: ["me"],
  summary: "Update my name, community, compound, language or elder mode",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(MeUpdate) },
  responses: { 200: jsonResponse(Me, "Updated"), ...errors(400, 401, 404) },
});

async function loadMe(c: Context<AppEnv>): Promise<Me> {
  const session = await requireAccount(c);
  const db = c.var.db;
  const account = await findAccount(db, session.id);
  if (!account) throw new ApiError("UNAUTHENTICATED", "Sign in first");
  const [roles, persons, pending, unread, own] = await Promise.all([
    grantsWithScopeNames(db, account.id),
    actablePersons(db, account.id),
    pendingRequestCount(db, account.id),
    unreadCount(db, account.id),
    ownPerson(db, account.id),
  ]);
  return {
    account: {
      id: account.id,
      phoneMasked: maskPhone(account.phone) ?? "",
      displayName: account.displayName,
      communityId: account.communityId,
      compoundId: account.compoundId,
      locale: account.locale,
      elderMode: account.elderMode,
      birthDate: own?.birthDate ?? null,
      createdAt: account.createdAt,
    },
    roles,
    isStaff: isStaff(session),
    persons,
    pendingProxyRequests: pending,
    unreadNotifications: unread,
  };
}

export const meRoutes = createRouter()
  .openapi(getMe, async (c) => c.json(await loadMe(c), 200))
  .openapi(patchMe, async (c) => {
    const session = await requireAccount(c);
    const db = c.var.db;
    const changes = c.req.valid("json");
    const current = await findAccount(db, session.id);
    if (!current) throw new ApiError("UNAUTHENTICATED", "Sign in first");
    const communityId = changes.communityId !== undefined ? changes.communityId : current.communityId;
    if (changes.communityId && !(await findCommunity(db, changes.communityId))) {
      throw new ApiError("NOT_FOUND", "Community not found");
    }
    if (
      changes.communityId !== undefined &&
      changes.communityId !== current.communityId &&
      changes.compoundId === undefined
    ) {
      changes.compoundId = null;
    }
    if (changes.compoundId) {
      const compound = await findCompound(db, changes.compoundId);
      if (!compound || compound.communityId !== communityId) {
        throw new ApiError("NOT_FOUND", "Compound not found in your community");
      }
    }
    await updateProfile(db, session.id, changes, now());
    return c.json(await loadMe(c), 200);
  });
