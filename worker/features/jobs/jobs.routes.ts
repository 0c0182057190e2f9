import { createRoute } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { communities, jobPostings, notifications, organisations } from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireAccount, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { newId, newSortableId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { shanghaiDate } from "../../lib/shanghai";
import { now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import { IdParam } from "../persons/persons.schema";
import {
  JOB_PAGE_SIZE,
  Job,
  JobCreate,
  JobList,
  JobListQuery,
  JobPatch,
  JobReview,
  JobWithdraw,
  StaffJobList,
  StaffJobListQuery,
  validUntilProblem,
} from "./jobs.schema";

const TAGS = ["jobs"];

const listRoute = createRoute({
  method: "get",
  path: "/jobs",
  tags: TAGS,
  summary: "Published job postings still open, newest first (no contact in lists)",
  request: { query: JobListQuery },
  responses: { 200: jsonResponse(JobList, "Postings"), ...errors(400) },
});

const oneRoute = createRoute({
  method: "get",
  path: "/jobs/{id}",
  tags: TAGS,
  summary: "One posting: open ones for everyone (the contact phone for signed-in readers), any for its staff",
  request: { params: IdParam, query: NoQuery },
  responses: { 200: jsonResponse(Job, "Posting"), ...errors(400, 404) },
});

const createJobRoute = createRoute({
  method: "post",
  path: "/jobs",
  tags: TAGS,
  summary: "Publish a posting for my organisation; it waits for a street admin (theirs go up at once)",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(JobCreate) },
  responses: { 201: jsonResponse(Job, "Created"), ...errors(400, 401, 403, 404) },
});

const patchJobRoute = createRoute({
  method: "patch",
  path: "/jobs/{id}",
  tags: TAGS,
  summary:
    "Change a posting (its organisation's staff); changed content waits for review again, a new last day alone does not",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery, ...jsonBody(JobPatch) },
  responses: { 200: jsonResponse(Job, "Updated"), ...errors(400, 401, 404, 409) },
});

const reviewRoute = createRoute({
  method: "post",
  path: "/jobs/{id}/review",
  tags: TAGS,
  summary: "Approve or reject a waiting posting (street admins); `submittedAt` names the version read",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery, ...jsonBody(JobReview) },
  responses: { 200: jsonResponse(Job, "Reviewed"), ...errors(400, 401, 403, 404, 409) },
});

const withdrawRoute = createRoute({
  method: "post",
  path: "/jobs/{id}/withdraw",
  tags: TAGS,
  summary: "Take a posting down (its organisation's staff, or a street admin with a reason)",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery, ...jsonBody(JobWithdraw) },
  responses: { 200: jsonResponse(Job, "Withdrawn"), ...errors(400, 401, 404, 409) },
});

const staffListRoute = createRoute({
  method: "get",
  path: "/staff/jobs",
  tags: TAGS,
  summary: "My organisations' postings in every state, or (street admins) the review queue",
  security: cookieAuth,
  request: { query: StaffJobListQuery },
  responses: { 200: jsonResponse(StaffJobList, "Postings"), ...errors(400, 401, 403) },
});

// ---------- queries ----------

type JobRow = typeof jobPostings.$inferSelect;
type Selected = { job: JobRow; organisationName: string; communityName: string | null };

function today(): string {
  return shanghaiDate(now());
}

/** Open to residents: published and not past its last day. */
function openNow(day: string): SQL {
  return and(eq(jobPostings.status, "published"), gte(jobPostings.validUntil, day)) as SQL;
}

function selectJobs(c: Context<AppEnv>, where: SQL | undefined) {
  return c.var.db
    .select({ job: jobPostings, organisationName: organisations.name, communityName: communities.name })
    .from(jobPostings)
    .innerJoin(organisations, eq(organisations.id, jobPostings.organisationId))
    .leftJoin(communities, eq(communities.id, jobPostings.communityId))
    .where(where);
}

function toSummary({ job, organisationName, communityName }: Selected) {
  return {
    id: job.id,
    organisationId: job.organisationId,
    organisationName,
    employer: job.employer,
    position: job.position,
    category: job.category,
    employmentType: job.employmentType,
    openings: job.openings,
    communityId: job.communityId,
    communityName,
    location: job.location,
    salaryMinFen: job.salaryMinFen,
    salaryMaxFen: job.salaryMaxFen,
    salaryPeriod: job.salaryPeriod,
    validUntil: job.validUntil,
    publishedAt: job.publishedAt,
  };
}

function toStaffJob(row: Selected, day: string) {
  return {
    ...toSummary(row),
    status: row.job.status,
    expired: row.job.validUntil < day,
    reviewNote: row.job.reviewNote,
    submittedAt: row.job.submittedAt,
  };
}

function toJob(row: Selected, account: SessionAccount | null, day: string) {
  return {
    ...toStaffJob(row, day),
    requirements: row.job.requirements,
    description: row.job.description,
    contactName: row.job.contactName,
    contactPhone: account ? row.job.contactPhone : null,
    canManage: !!account && staffOfOrganisation(account, row.job.organisationId),
    canReview: !!account && isStreetAdmin(account),
    reviewedAt: row.job.reviewedAt,
    updatedAt: row.job.updatedAt,
  };
}

async function loadJob(c: Context<AppEnv>, id: string) {
  const [row] = await selectJobs(c, eq(jobPostings.id, id)).limit(1);
  return row;
}

/** The posting for its organisation's staff (and street admins); 404 for anyone else. */
async function managedJob(c: Context<AppEnv>, id: string) {
  const account = await requireAccount(c);
  const row = await loadJob(c, id);
  if (!row || !staffOfOrganisation(account, row.job.organisationId))
    throw new ApiError("NOT_FOUND", "Posting not found");
  return { account, row };
}

async function answer(c: Context<AppEnv>, id: string, account: SessionAccount | null) {
  const row = await loadJob(c, id);
  if (!row) throw new ApiError("NOT_FOUND", "Posting not found");
  return toJob(row, account, today());
}

function checkValidUntil(validUntil: string | undefined) {
  if (validUntil === undefined) return;
  const problem = validUntilProblem(validUntil, today());
  if (problem) throw new ApiError("VALIDATION_FAILED", `validUntil: ${problem}`);
}

async function checkCommunity(c: Context<AppEnv>, communityId: string | null | undefined) {
  if (!communityId) return;
  const [found] = await c.var.db
    .select({ id: communities.id })
    .from(communities)
    .where(eq(communities.id, communityId))
    .limit(1);
  if (!found) throw new ApiError("VALIDATION_FAILED", "communityId: no such community");
}

function escapeLike(text: string): string {
  return `%${text.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
}

/** The Chinese notice (also the SMS-free inbox text) its creator gets when a street admin acts on a posting. */
const JOB_NOTICES = {
  approve: (job: JobRow) => ({
    kind: "job_approved",
    title: "招聘信息已发布",
    body: `您提交的招聘信息“${job.position}”（${job.employer}）已审核通过，居民现在可以看到。`,
    params: { offering: job.position, organisation: job.employer },
  }),
  reject: (job: JobRow, reason: string) => ({
    kind: "job_rejected",
    title: "招聘信息未通过审核",
    body: `您提交的招聘信息“${job.position}”（${job.employer}）未通过审核：${reason}。修改后可再次提交。`,
    params: { offering: job.position, organisation: job.employer, reason },
  }),
  takenDown: (job: JobRow, reason: string) => ({
    kind: "job_taken_down",
    title: "招聘信息已被下架",
    body: `招聘信息“${job.position}”（${job.employer}）已被街道下架：${reason}。`,
    params: { offering: job.position, organisation: job.employer, reason },
  }),
};

export const jobsRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const page = query.page ?? 1;
    const where: SQL[] = [openNow(today())];
    if (query.category) where.push(eq(jobPostings.category, query.category));
    if (query.type) where.push(eq(jobPostings.employmentType, query.type));
    if (query.communityId) where.push(eq(jobPostings.communityId, query.communityId));
    if (query.q) {
      const pattern = escapeLike(query.q);
      where.push(
        sql`(${jobPostings.position} LIKE ${pattern} ESCAPE '\\' OR ${jobPostings.employer} LIKE ${pattern} ESCAPE '\\'
          OR ${jobPostings.location} LIKE ${pattern} ESCAPE '\\')`,
      );
    }
    const condition = and(...where);
    const [rows, [total]] = await Promise.all([
      selectJobs(c, condition)
        .orderBy(desc(jobPostings.publishedAt), desc(jobPostings.id))
        .limit(JOB_PAGE_SIZE)
        .offset((page - 1) * JOB_PAGE_SIZE),
      c.var.db.select({ n: count() }).from(jobPostings).where(condition),
    ]);
    return c.json({ jobs: rows.map(toSummary), total: total?.n ?? 0, page, pageSize: JOB_PAGE_SIZE }, 200);
  })
  .openapi(oneRoute, async (c) => {
    const account = await currentAccount(c);
    const job = await answer(c, c.req.valid("param").id, account);
    if (!job.canManage && !job.canReview && (job.status !== "published" || job.expired)) {
      throw new ApiError("NOT_FOUND", "Posting not found");
    }
    return c.json(job, 200);
  })
  .openapi(staffListRoute, async (c) => {
    const account = await requireStaff(c);
    const view = c.req.valid("query").view ?? "mine";
    const day = today();
    if (view === "queue") {
      if (!isStreetAdmin(account)) throw new ApiError("FORBIDDEN", "Street admins review postings");
      const rows = await selectJobs(c, eq(jobPostings.status, "pending"))
        .orderBy(asc(jobPostings.submittedAt))
        .limit(200);
      return c.json({ jobs: rows.map((r) => toStaffJob(r, day)) }, 200);
    }
    const mine = [...organisationScopes(account)];
    if (!isStreetAdmin(account) && mine.length === 0) throw new ApiError("FORBIDDEN", "Organisation staff only");
    const rows = await selectJobs(c, isStreetAdmin(account) ? undefined : inArray(jobPostings.organisationId, mine))
      .orderBy(desc(jobPostings.updatedAt))
      .limit(200);
    return c.json({ jobs: rows.map((r) => toStaffJob(r, day)) }, 200);
  })
  .openapi(createJobRoute, async (c) => {
    const account = await requireStaff(c);
    const input = c.req.valid("json");
    if (!staffOfOrganisation(account, input.organisationId)) {
      throw new ApiError("FORBIDDEN", "Only staff of that organisation may publish its postings");
    }
    const [org] = await c.var.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, input.organisationId))
      .limit(1);
    if (!org) throw new ApiError("NOT_FOUND", "Organisation not found");
    checkValidUntil(input.validUntil);
    await checkCommunity(c, input.communityId);
    const at = now();
    const id = newId("job");
    // A street admin's own posting needs no one else's review.
    const direct = isStreetAdmin(account);
    const db = c.var.db;
    await db.batch([
      db.insert(jobPostings).values({
        id,
        ...input,
        status: direct ? "published" : "pending",
        createdByAccountId: account.id,
        submittedAt: at,
        ...(direct ? { reviewedByAccountId: account.id, reviewedAt: at, publishedAt: at } : {}),
        createdAt: at,
        updatedAt: at,
      }),
      auditInsert(c, {
        action: "job.create",
        subjectType: "job_posting",
        subjectId: id,
        detail: {
          organisationId: input.organisationId,
          position: input.position,
          status: direct ? "published" : "pending",
        },
      }),
    ]);
    return c.json(await answer(c, id, account), 201);
  })
  .openapi(patchJobRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, row } = await managedJob(c, id);
    const patch = c.req.valid("json");
    checkValidUntil(patch.validUntil);
    await checkCommunity(c, patch.communityId);
    const at = now();
    // A new last day alone keeps a published posting up; changed words are read again first.
    const contentChanged = Object.keys(patch).some((k) => k !== "validUntil");
    // Sent for review, it must still be up to show: an expired posting gets a new last day with it.
    if (contentChanged && (patch.validUntil ?? row.job.validUntil) < today()) {
      throw new ApiError(
        "VALIDATION_FAILED",
        "validUntil: the posting has expired; give a new last day with the change",
      );
    }
    const keepsStatus = row.job.status === "published" && !contentChanged;
    const direct = isStreetAdmin(account);
    const workflow = keepsStatus
      ? {}
      : direct
        ? {
            status: "published" as const,
            reviewNote: null,
            submittedAt: at,
            reviewedByAccountId: account.id,
            reviewedAt: at,
            publishedAt: at,
          }
        : {
            status: "pending" as const,
            reviewNote: null,
            submittedAt: at,
            reviewedByAccountId: null,
            reviewedAt: null,
          };
    const db = c.var.db;
    // Written only over the version read: a review or another edit in between is a conflict.
    const [updated] = await db.batch([
      db
        .update(jobPostings)
        .set({ ...patch, ...workflow, updatedAt: at })
        .where(and(eq(jobPostings.id, id), eq(jobPostings.updatedAt, row.job.updatedAt)))
        .returning({ id: jobPostings.id }),
      auditInsert(
        c,
        { action: "job.update", subjectType: "job_posting", subjectId: id, detail: { fields: Object.keys(patch) } },
        sql`EXISTS (SELECT 1 FROM ${jobPostings} WHERE ${jobPostings.id} = ${id} AND ${jobPostings.updatedAt} = ${at})`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "The posting changed meanwhile; reload it");
    return c.json(await answer(c, id, account), 200);
  })
  .openapi(reviewRoute, async (c) => {
    const id = c.req.valid("param").id;
    const account = await requireAccount(c);
    const row = await loadJob(c, id);
    if (!row) throw new ApiError("NOT_FOUND", "Posting not found");
    if (!isStreetAdmin(account)) throw new ApiError("FORBIDDEN", "Street admins review postings");
    const { decision, note, submittedAt } = c.req.valid("json");
    if (row.job.status !== "pending") throw new ApiError("CONFLICT", `This posting is ${row.job.status}, not waiting`);
    if (decision === "approve" && row.job.validUntil < today()) {
      throw new ApiError("CONFLICT", "This posting's last day has passed: its organisation gives a new one first");
    }
    if (row.job.submittedAt !== submittedAt) {
      throw new ApiError("CONFLICT", "The posting was changed after you read it; read it again");
    }
    const at = now();
    const approve = decision === "approve";
    const db = c.var.db;
    const changed = sql`EXISTS (SELECT 1 FROM ${jobPostings} WHERE ${jobPostings.id} = ${id}
      AND ${jobPostings.reviewedAt} = ${at} AND ${jobPostings.reviewedByAccountId} = ${account.id})`;
    const notice = approve ? JOB_NOTICES.approve(row.job) : JOB_NOTICES.reject(row.job, note ?? "");
    const [updated] = await db.batch([
      db
        .update(jobPostings)
        .set({
          status: approve ? "published" : "rejected",
          reviewNote: approve ? null : (note ?? null),
          reviewedByAccountId: account.id,
          reviewedAt: at,
          ...(approve ? { publishedAt: at } : {}),
          updatedAt: at,
        })
        .where(and(eq(jobPostings.id, id), eq(jobPostings.status, "pending"), eq(jobPostings.submittedAt, submittedAt)))
        .returning({ id: jobPostings.id }),
      auditInsert(
        c,
        { action: `job.${decision}`, subjectType: "job_posting", subjectId: id, detail: { note: note ?? null } },
        changed,
      ),
      insertWhere(
        db,
        notifications,
        {
          id: newSortableId("ntf", at),
          accountId: row.job.createdByAccountId,
          link: `/staff/jobs/${id}`,
          createdAt: at,
          ...notice,
        },
        sql`WHERE ${changed} AND ${row.job.createdByAccountId} <> ${account.id}`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This posting was reviewed or changed meanwhile");
    return c.json(await answer(c, id, account), 200);
  })
  .openapi(withdrawRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, row } = await managedJob(c, id);
    const { reason } = c.req.valid("json");
    const ownStaff = organisationScopes(account).has(row.job.organisationId);
    if (!ownStaff && !reason) throw new ApiError("VALIDATION_FAILED", "reason: say why the street takes it down");
    if (row.job.status === "withdrawn") throw new ApiError("CONFLICT", "This posting is already withdrawn");
    const at = now();
    const db = c.var.db;
    const changed = sql`EXISTS (SELECT 1 FROM ${jobPostings} WHERE ${jobPostings.id} = ${id}
      AND ${jobPostings.status} = 'withdrawn' AND ${jobPostings.updatedAt} = ${at})`;
    const [updated] = await db.batch([
      db
        .update(jobPostings)
        .set({ status: "withdrawn", reviewNote: reason ?? null, updatedAt: at })
        .where(and(eq(jobPostings.id, id), sql`${jobPostings.status} <> 'withdrawn'`))
        .returning({ id: jobPostings.id }),
      auditInsert(
        c,
        { action: "job.withdraw", subjectType: "job_posting", subjectId: id, detail: { reason: reason ?? null } },
        changed,
      ),
      // Taken down by the street: its organisation's author is told why.
      insertWhere(
        db,
        notifications,
        {
          id: newSortableId("ntf", at),
          accountId: row.job.createdByAccountId,
          link: `/staff/jobs/${id}`,
          createdAt: at,
          ...JOB_NOTICES.takenDown(row.job, reason ?? ""),
        },
        sql`WHERE ${changed} AND ${ownStaff ? 0 : 1} = 1 AND ${row.job.createdByAccountId} <> ${account.id}`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This posting is already withdrawn");
    return c.json(await answer(c, id, account), 200);
  });
