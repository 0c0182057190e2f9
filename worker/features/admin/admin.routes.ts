import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { outbox, type Role, roleGrants, type ScopeType } from "../../../db/schema";
import type { SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireStaff, requireStreetAdmin } from "../../lib/authz";
import { runBatch } from "../../lib/batch";
import { ApiError } from "../../lib/errors";
import { rowExists } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { maskPhone } from "../../lib/phone";
import { deliverSoon } from "../../lib/sms";
import { now } from "../../lib/time";
import { findOrCreateAccount } from "../auth/auth.queries";
import { endUnservedGridWorkerLinksStatement } from "../persons/persons.queries";
import { findCommunity, findOrganisation } from "../places/places.queries";
import {
  findGrant,
  findOutboxMessage,
  insertGrant,
  listAudit,
  listGrants,
  outboxOverview,
  retryOutboxStatement,
  revokeGrantStatement,
} from "./admin.queries";
import {
  AuditList,
  AuditQuery,
  GrantCreate,
  GrantList,
  GrantListQuery,
  GrantView,
  IdParam,
  OutboxMessage,
  OutboxOverview,
} from "./admin.schema";

const SCOPE_OF: Record<Role, ScopeType> = {
  volunteer: "street",
  street_admin: "street",
  org_staff: "organisation",
  org_admin: "organisation",
  community_staff: "community",
  grid_worker: "community",
};

const listRoute = createRoute({
  method: "get",
  path: "/admin/grants",
  tags: ["admin"],
  summary: "Role grants: all for street admins, their organisation's for organisation admins",
  security: cookieAuth,
  request: { query: GrantListQuery },
  responses: { 200: jsonResponse(GrantList, "Grants"), ...errors(400, 401, 403, 404) },
});

const createGrantRoute = createRoute({
  method: "post",
  path: "/admin/grants",
  tags: ["admin"],
  summary: "Grant a role (street admins: any; organisation admins: staff of their organisation)",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(GrantCreate) },
  responses: { 201: jsonResponse(GrantView, "Granted"), ...errors(400, 401, 403, 404, 409) },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/admin/grants/{id}/revoke",
  tags: ["admin"],
  summary: "Revoke a role grant",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(GrantView, "Revoked"), ...errors(400, 401, 403, 404, 409) },
});

const auditRoute = createRoute({
  method: "get",
  path: "/admin/audit",
  tags: ["admin"],
  summary: "Street admins: the audit log, newest first",
  security: cookieAuth,
  request: { query: AuditQuery },
  responses: { 200: jsonResponse(AuditList, "Entries"), ...errors(400, 401, 403) },
});

const messagesRoute = createRoute({
  method: "get",
  path: "/admin/messages",
  tags: ["admin"],
  summary: "Street admins: text messages that failed for good and those waiting to be sent (numbers masked, no bodies)",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(OutboxOverview, "Messages"), ...errors(401, 403) },
});

const retryMessageRoute = createRoute({
  method: "post",
  path: "/admin/messages/{id}/retry",
  tags: ["admin"],
  summary: "Street admins: send a failed text message again (not an expired sign-in code); audited",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(OutboxMessage, "Queued again"), ...errors(400, 401, 403, 404, 409) },
});

function toOutboxMessage(row: NonNullable<Awaited<ReturnType<typeof findOutboxMessage>>>, at: number): OutboxMessage {
  const { recipient, expiresAt, ...rest } = row;
  // A sign-in code works for minutes: one that failed is never worth sending again. Nor is one
  // cleared past keeping (`clearOldTexts`: its number is masked, its text gone).
  const expired = rest.template === "otp" || (expiresAt !== null && expiresAt <= at) || recipient.includes("*");
  return { ...rest, recipientMasked: maskPhone(recipient) ?? "", expired };
}

function toGrantView(row: NonNullable<Awaited<ReturnType<typeof findGrant>>>): GrantView {
  const { phone, ...rest } = row;
  return { ...rest, name: row.name || null, phoneMasked: maskPhone(phone) };
}

/** Organisations whose staff this account may manage; null means every one (street admin). */
function managedOrganisations(account: SessionAccount): Set<string> | null {
  if (isStreetAdmin(account)) return null;
  const orgs = organisationScopes(account, ["org_admin"]);
  if (orgs.size === 0) throw new ApiError("FORBIDDEN", "Only street admins and organisation admins manage roles");
  return orgs;
}

export const adminRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const account = await requireStaff(c);
    const orgs = managedOrganisations(account);
    const query = c.req.valid("query");
    let organisationIds: string[] | undefined;
    if (orgs) {
      if (query.organisationId && !orgs.has(query.organisationId))
        throw new ApiError("NOT_FOUND", "Organisation not found");
      if (query.communityId) throw new ApiError("FORBIDDEN", "Only street admins list community roles");
      organisationIds = query.organisationId ? [query.organisationId] : [...orgs];
    } else if (query.organisationId) organisationIds = [query.organisationId];
    const rows = await listGrants(c.var.db, {
      ...(organisationIds ? { organisationIds } : {}),
      ...(query.communityId ? { communityId: query.communityId } : {}),
      includeRevoked: query.includeRevoked === "true",
    });
    return c.json({ grants: rows.map(toGrantView) }, 200);
  })
  .openapi(createGrantRoute, async (c) => {
    const account = await requireStaff(c);
    const orgs = managedOrganisations(account);
    const input = c.req.valid("json");
    const db = c.var.db;
    const scopeType = SCOPE_OF[input.role];
    if (orgs && (input.role !== "org_staff" || !input.organisationId || !orgs.has(input.organisationId))) {
      throw new ApiError("FORBIDDEN", "Organisation admins may only add staff to their own organisation");
    }
    if (scopeType === "organisation") {
      if (!input.organisationId || input.communityId) {
        throw new ApiError("VALIDATION_FAILED", "organisationId (and no communityId) is required for this role");
      }
      if (!(await findOrganisation(db, input.organisationId)))
        throw new ApiError("NOT_FOUND", "Organisation not found");
    } else if (scopeType === "community") {
      if (!input.communityId || input.organisationId) {
        throw new ApiError("VALIDATION_FAILED", "communityId (and no organisationId) is required for this role");
      }
      if (!(await findCommunity(db, input.communityId))) throw new ApiError("NOT_FOUND", "Community not found");
    } else if (input.communityId || input.organisationId) {
      throw new ApiError("VALIDATION_FAILED", "This role is held street-wide; give no communityId or organisationId");
    }
    const at = now();
    const target = await findOrCreateAccount(db, input.phone, at);
    const { id, statement } = insertGrant(db, {
      accountId: target.id,
      role: input.role,
      scopeType,
      communityId: input.communityId ?? null,
      organisationId: input.organisationId ?? null,
      grantedByAccountId: account.id,
      at,
    });
    const [inserted] = await db.batch([
      statement,
      // Only if the grant was made (the same role already held makes the insert a no-op).
      auditInsert(
        c,
        {
          action: "grant.create",
          subjectType: "role_grant",
          subjectId: id,
          detail: {
            accountId: target.id,
            role: input.role,
            communityId: input.communityId,
            organisationId: input.organisationId,
          },
        },
        rowExists(roleGrants, id),
      ),
    ]);
    if (inserted.length === 0) throw new ApiError("CONFLICT", "This account already holds this role here");
    const grant = await findGrant(db, id);
    if (!grant) throw new ApiError("INTERNAL_ERROR", "Grant was not saved");
    return c.json(toGrantView(grant), 201);
  })
  .openapi(revokeRoute, async (c) => {
    const account = await requireStaff(c);
    const orgs = managedOrganisations(account);
    const db = c.var.db;
    const { id } = c.req.valid("param");
    const grant = await findGrant(db, id);
    const mayRevoke =
      grant &&
      (!orgs || (grant.role === "org_staff" && grant.organisationId !== null && orgs.has(grant.organisationId)));
    if (!grant || !mayRevoke) throw new ApiError("NOT_FOUND", "Grant not found");
    if (grant.revokedAt !== null) throw new ApiError("CONFLICT", "This grant was already revoked");
    if (grant.accountId === account.id && grant.role === "street_admin") {
      throw new ApiError("CONFLICT", "Street admins cannot revoke their own admin role");
    }
    const at = now();
    await runBatch(db, [
      revokeGrantStatement(db, id, account.id, at),
      // A grid worker's links to residents were theirs as the community's grid worker: they end
      // with the role.
      ...(grant.role === "grid_worker" && grant.communityId
        ? [
            endUnservedGridWorkerLinksStatement(
              db,
              { proxyAccountId: grant.accountId },
              "网格员职务已撤销",
              account.id,
              at,
            ),
          ]
        : []),
      auditInsert(c, {
        action: "grant.revoke",
        subjectType: "role_grant",
        subjectId: id,
        detail: { accountId: grant.accountId, role: grant.role },
      }),
    ]);
    const updated = await findGrant(db, id);
    if (!updated) throw new ApiError("INTERNAL_ERROR", "Grant vanished");
    return c.json(toGrantView(updated), 200);
  })
  .openapi(auditRoute, async (c) => {
    await requireStreetAdmin(c);
    const query = c.req.valid("query");
    const rows = await listAudit(c.var.db, query);
    const entries = rows.map(({ actorPhone, ...r }) => ({ ...r, actorPhoneMasked: maskPhone(actorPhone) }));
    const last = entries.at(-1);
    return c.json({ entries, nextBefore: entries.length === query.limit && last ? last.at : null }, 200);
  })
  .openapi(messagesRoute, async (c) => {
    await requireStreetAdmin(c);
    const at = now();
    const { failed, waiting, counts } = await outboxOverview(c.var.db, at);
    return c.json(
      {
        failed: failed.map((m) => toOutboxMessage(m, at)),
        waiting: waiting.map((m) => toOutboxMessage(m, at)),
        counts: {
          waiting: Number(counts.waiting),
          failed: Number(counts.failed),
          sentLastDay: Number(counts.sentLastDay),
        },
      },
      200,
    );
  })
  .openapi(retryMessageRoute, async (c) => {
    await requireStreetAdmin(c);
    const { id } = c.req.valid("param");
    const db = c.var.db;
    const at = now();
    const [requeued] = await db.batch([
      retryOutboxStatement(db, id, at),
      auditInsert(
        c,
        { action: "outbox.retry", subjectType: "outbox", subjectId: id },
        sql`EXISTS (SELECT 1 FROM ${outbox} WHERE ${outbox.id} = ${id} AND ${outbox.status} = 'queued' AND ${outbox.dueAt} = ${at} AND ${outbox.attempts} = 0)`,
      ),
    ]);
    const message = await findOutboxMessage(db, id);
    if (!message) throw new ApiError("NOT_FOUND", "No such message");
    if (requeued.length === 0) {
      throw new ApiError(
        "CONFLICT",
        message.status !== "failed" ? `This message is ${message.status}, not failed` : "This message has expired",
      );
    }
    deliverSoon(c);
    return c.json(toOutboxMessage(message, at), 200);
  });
