import { createRoute } from "@hono/zod-openapi";
import { and, eq, inArray, not, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import { facilities } from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { canManageCommunity, communityScopes, isStreetAdmin, requireStaff } from "../../lib/authz";
import { runBatch, type Statement } from "../../lib/batch";
import { ApiError } from "../../lib/errors";
import { haversineMetres } from "../../lib/geo";
import { rowExists } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { now } from "../../lib/time";
import { findCommunity, findOrganisation } from "../places/places.queries";
import {
  allCompoundPoints,
  allFacilityIds,
  compoundMembers,
  currentNetwork,
  deleteFacilityStatements,
  facilityLocations,
  facilityNetworkStatements,
  findFacility,
  insertFacility,
  listFacilities,
  networkDataStatements,
  toFacility,
  toInput,
  updateFacility,
} from "./facilities.queries";
import {
  Deleted,
  ExportQuery,
  Facility,
  FacilityInput,
  FacilityList,
  FacilityListQuery,
  FacilityPatch,
  IdParam,
  ImportRequest,
  ImportResult,
  KindList,
} from "./facilities.schema";
import { duplicateIssues, parseCsv, parseGeoJson, type RowIssue, toCsv, toGeoJson } from "./facilities.transfer";
import { FACILITY_KINDS, STANDARDS, TIERS } from "./kinds";
import { distancesFromFacility, networkDistances } from "./walk-network";
import { networkLimitMetres } from "./walk-network.routes";

const kindsRoute = createRoute({
  method: "get",
  path: "/facility-kinds",
  tags: ["service circle"],
  summary: "Facility kinds, their life-circle tier and the standards that require them",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(KindList, "Kinds") },
});

const listRoute = createRoute({
  method: "get",
  path: "/facilities",
  tags: ["service circle"],
  summary: "Facilities, by community, kind or name",
  request: { query: FacilityListQuery },
  responses: { 200: jsonResponse(FacilityList, "Facilities"), ...errors(400) },
});

const getRoute = createRoute({
  method: "get",
  path: "/facilities/{id}",
  tags: ["service circle"],
  summary: "One facility: hours, phone, accessibility, services",
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(Facility, "Facility"), ...errors(400, 404) },
});

const createFacilityRoute = createRoute({
  method: "post",
  path: "/facilities",
  tags: ["service circle"],
  summary: "Add a facility (street admins anywhere; community staff in their community)",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(FacilityInput) },
  responses: { 201: jsonResponse(Facility, "Created"), ...errors(400, 401, 403, 404) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/facilities/{id}",
  tags: ["service circle"],
  summary: "Change a facility",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(FacilityPatch) },
  responses: { 200: jsonResponse(Facility, "Updated"), ...errors(400, 401, 403, 404) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/facilities/{id}",
  tags: ["service circle"],
  summary: "Remove a facility that closed",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(Deleted, "Deleted"), ...errors(400, 401, 403, 404) },
});

const importRoute = createRoute({
  method: "post",
  path: "/facilities/import",
  tags: ["service circle"],
  summary:
    "Import facilities from CSV or GeoJSON: all rows or none. Rows with an id update that facility. " +
    "A bad file answers 400 IMPORT_INVALID with error.details [{row, field, reason}] and changes nothing.",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(ImportRequest) },
  responses: { 200: jsonResponse(ImportResult, "Imported"), ...errors(400, 401, 403) },
});

const exportRoute = createRoute({
  method: "get",
  path: "/facilities/export",
  tags: ["service circle"],
  summary: "Export facilities as CSV (UTF-8 with BOM) or GeoJSON",
  request: { query: ExportQuery },
  responses: {
    200: {
      description: "The file",
      content: { "text/csv": { schema: z.string() }, "application/geo+json": { schema: z.object({}).passthrough() } },
    },
    ...errors(400),
  },
});

/** May this account edit a facility in `communityId`? Street admins: all; community staff: their own. */
function mayManage(account: SessionAccount, communityId: string | null): boolean {
  return isStreetAdmin(account) || (communityId !== null && canManageCommunity(account, communityId));
}

async function requireManager(c: Context<AppEnv>): Promise<SessionAccount> {
  const account = await requireStaff(c);
  if (!isStreetAdmin(account) && communityScopes(account, ["community_staff"]).size === 0) {
    throw new ApiError("FORBIDDEN", "Only street admins and community staff manage facilities");
  }
  return account;
}

async function checkReferences(
  c: Context<AppEnv>,
  input: { communityId: string | null; organisationId: string | null },
) {
  if (input.communityId && !(await findCommunity(c.var.db, input.communityId))) {
    throw new ApiError("NOT_FOUND", "Community not found");
  }
  if (input.organisationId && !(await findOrganisation(c.var.db, input.organisationId))) {
    throw new ApiError("NOT_FOUND", "Organisation not found");
  }
}

/** Keeps the walking network's distances in step with a facility that was added or moved. */
async function networkUpdate(
  c: Context<AppEnv>,
  id: string,
  point: { lat: number; lng: number },
): Promise<Statement[]> {
  const network = await currentNetwork(c.var.db);
  if (!network) return [];
  const { member, distances } = distancesFromFacility(
    network.graph,
    { id, ...point },
    await compoundMembers(c.var.db),
    networkLimitMetres(c.env),
  );
  return facilityNetworkStatements(c.var.db, id, member, distances);
}

async function loadFacility(c: Context<AppEnv>, id: string) {
  const row = await findFacility(c.var.db, id);
  if (!row) throw new ApiError("NOT_FOUND", "Facility not found");
  return row;
}

export const facilitiesRoutes = createRouter()
  .openapi(kindsRoute, (c) =>
    c.json(
      {
        kinds: FACILITY_KINDS.map((k) => ({
          ...k,
          sources: k.sources.map((s) => ({ ...s, title: STANDARDS[s.standard] })),
        })),
        tiers: [...TIERS],
      },
      200,
    ),
  )
  .openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const { rows, total } = await listFacilities(c.var.db, query);
    const at = now();
    return c.json({ facilities: rows.map((r) => toFacility(r.facility, r.organisationName, at)), total }, 200);
  })
  .openapi(exportRoute, async (c) => {
    const { format, communityId } = c.req.valid("query");
    const where: SQL[] = communityId ? [eq(facilities.communityId, communityId)] : [];
    const rows = await c.var.db
      .select()
      .from(facilities)
      .where(where.length ? and(...where) : undefined)
      .orderBy(facilities.kind, facilities.name);
    const items = rows.map((r) => ({ id: r.id, input: toInput(r) }));
    const stamp = new Date().toISOString().slice(0, 10);
    if (format === "csv") {
      return c.body(toCsv(items), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="facilities-${stamp}.csv"`,
      });
    }
    return c.body(JSON.stringify(toGeoJson(items)), 200, {
      "Content-Type": "application/geo+json; charset=utf-8",
      "Content-Disposition": `attachment; filename="facilities-${stamp}.geojson"`,
    });
  })
  .openapi(getRoute, async (c) => {
    const row = await loadFacility(c, c.req.valid("param").id);
    return c.json(toFacility(row.facility, row.organisationName, now()), 200);
  })
  .openapi(createFacilityRoute, async (c) => {
    const account = await requireManager(c);
    const input = c.req.valid("json");
    if (!mayManage(account, input.communityId))
      throw new ApiError("FORBIDDEN", "You manage facilities of your own community only");
    await checkReferences(c, input);
    const at = now();
    const { id, statement } = insertFacility(c.var.db, input, account.id, at);
    await runBatch(c.var.db, [
      statement,
      ...(await networkUpdate(c, id, input)),
      auditInsert(c, {
        action: "facility.create",
        subjectType: "facility",
        subjectId: id,
        detail: { kind: input.kind },
      }),
    ]);
    const row = await loadFacility(c, id);
    return c.json(toFacility(row.facility, row.organisationName, at), 201);
  })
  .openapi(patchRoute, async (c) => {
    const account = await requireManager(c);
    const { id } = c.req.valid("param");
    const existing = await loadFacility(c, id);
    if (!mayManage(account, existing.facility.communityId)) throw new ApiError("NOT_FOUND", "Facility not found");
    const input = { ...toInput(existing.facility), ...c.req.valid("json") };
    if (!mayManage(account, input.communityId))
      throw new ApiError("FORBIDDEN", "You manage facilities of your own community only");
    await checkReferences(c, input);
    const at = now();
    const moved = haversineMetres(existing.facility, input) > 0;
    await runBatch(c.var.db, [
      updateFacility(c.var.db, id, input, account.id, at),
      ...(moved ? await networkUpdate(c, id, input) : []),
      auditInsert(c, {
        action: "facility.update",
        subjectType: "facility",
        subjectId: id,
        detail: { fields: Object.keys(c.req.valid("json")) },
      }),
    ]);
    const row = await loadFacility(c, id);
    return c.json(toFacility(row.facility, row.organisationName, at), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const account = await requireManager(c);
    const { id } = c.req.valid("param");
    const existing = await loadFacility(c, id);
    if (!mayManage(account, existing.facility.communityId)) throw new ApiError("NOT_FOUND", "Facility not found");
    const [, , deleted] = await c.var.db.batch([
      ...deleteFacilityStatements(c.var.db, id),
      auditInsert(
        c,
        { action: "facility.delete", subjectType: "facility", subjectId: id, detail: { name: existing.facility.name } },
        not(rowExists(facilities, id)),
      ),
    ]);
    if (deleted.length === 0) {
      throw new ApiError(
        "CONFLICT",
        "Services are offered at this facility; move them to another place or remove them first",
      );
    }
    return c.json({ deleted: true as const }, 200);
  })
  .openapi(importRoute, async (c) => {
    const account = await requireManager(c);
    const { format, content } = c.req.valid("json");
    const db = c.var.db;
    const parsed = format === "csv" ? parseCsv(content) : parseGeoJson(content);
    const issues: RowIssue[] = [...parsed.issues, ...duplicateIssues(parsed.rows)];

    const existingIds = await allFacilityIds(
      db,
      parsed.rows.flatMap((r) => (r.id ? [r.id] : [])),
    );
    const existingRows = existingIds.size
      ? await db
          .select({ id: facilities.id, communityId: facilities.communityId })
          .from(facilities)
          .where(inArray(facilities.id, [...existingIds]))
      : [];
    const communityOf = new Map(existingRows.map((r) => [r.id, r.communityId]));
    const knownCommunities = new Set<string>();
    const knownOrganisations = new Set<string>();
    for (const { row, id, input } of parsed.rows) {
      if (input.communityId && !knownCommunities.has(input.communityId)) {
        if (await findCommunity(db, input.communityId)) knownCommunities.add(input.communityId);
        else issues.push({ row, field: "community_id", reason: `Unknown community ${input.communityId}` });
      }
      if (input.organisationId && !knownOrganisations.has(input.organisationId)) {
        if (await findOrganisation(db, input.organisationId)) knownOrganisations.add(input.organisationId);
        else issues.push({ row, field: "organisation_id", reason: `Unknown organisation ${input.organisationId}` });
      }
      if (
        !mayManage(account, input.communityId) ||
        (id && existingIds.has(id) && !mayManage(account, communityOf.get(id) ?? null))
      ) {
        issues.push({ row, field: "community_id", reason: "You manage facilities of your own community only" });
      }
    }
    if (issues.length > 0) {
      issues.sort((a, b) => a.row - b.row);
      throw new ApiError(
        "IMPORT_INVALID",
        `The file has ${issues.length} problem(s); nothing was imported`,
        {},
        issues.slice(0, 200),
      );
    }

    const at = now();
    const statements: Statement[] = [];
    const located = new Map<string, { id: string; lat: number; lng: number }>();
    let created = 0;
    let updated = 0;
    for (const { id, input } of parsed.rows) {
      if (id && existingIds.has(id)) {
        statements.push(updateFacility(db, id, input, account.id, at));
        located.set(id, { id, lat: input.lat, lng: input.lng });
        updated++;
      } else {
        const inserted = insertFacility(db, input, account.id, at, id ?? undefined);
        statements.push(inserted.statement);
        located.set(inserted.id, { id: inserted.id, lat: input.lat, lng: input.lng });
        created++;
      }
    }
    const network = await currentNetwork(db);
    if (network) {
      const points = new Map((await facilityLocations(db)).map((f) => [f.id, f]));
      for (const [id, point] of located) points.set(id, point);
      const { members, distances } = networkDistances(
        network.graph,
        await allCompoundPoints(db),
        [...points.values()],
        networkLimitMetres(c.env),
      );
      statements.push(...networkDataStatements(db, members, distances));
    }
    statements.push(
      auditInsert(c, {
        action: "facility.import",
        subjectType: "facility",
        subjectId: "*",
        detail: { format, created, updated },
      }),
    );
    await runBatch(db, statements);
    return c.json({ created, updated }, 200);
  });
