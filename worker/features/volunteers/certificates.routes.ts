import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { renderSVG } from "uqr";
import { z } from "zod";
import {
  notifications,
  organisations,
  volunteerCertificates,
  volunteerServiceRecords,
  volunteers,
} from "../../../db/schema";
import type { AppEnv } from "../../env";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireAccount, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { clientIp } from "../../lib/client-ip";
import { ApiError } from "../../lib/errors";
import { newId, newSortableId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { maskName } from "../../lib/mask-name";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { hit } from "../../lib/rate-limit";
import { fromShanghai, shanghaiDate } from "../../lib/shanghai";
import { DAY, HOUR, now } from "../../lib/time";
import { IdParam } from "../persons/persons.schema";
import { Certificate, CertificateNumber, CertificateRequest, Verification } from "./certificates.schema";
import { certificatePdf } from "./documents";
import { registrationOfAccount } from "./volunteers.queries";

const TAGS = ["volunteer certificates"];

/** Public verifications one address may make in an hour (numbers are random; this stops trawling). */
const VERIFICATIONS_PER_HOUR = 120;

const mineRoute = createRoute({
  method: "get",
  path: "/volunteers/me/certificates",
  tags: TAGS,
  summary: "My service certificates",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(z.object({ certificates: z.array(Certificate) }), "Certificates"), ...errors(401) },
});

const requestRoute = createRoute({
  method: "post",
  path: "/volunteers/me/certificates",
  tags: TAGS,
  summary:
    "Get a certificate of my approved hours with one organisation over a period (issued in its name; asking again returns the same one)",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(CertificateRequest) },
  responses: { 201: jsonResponse(Certificate, "Issued"), ...errors(400, 401, 403, 404, 409) },
});

const oneRoute = createRoute({
  method: "get",
  path: "/certificates/{id}",
  tags: TAGS,
  summary: "One certificate, in full (its volunteer, or staff of the issuing organisation)",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery },
  responses: { 200: jsonResponse(Certificate, "Certificate"), ...errors(401, 404) },
});

const pdfRoute = createRoute({
  method: "get",
  path: "/certificates/{id}/certificate.pdf",
  tags: TAGS,
  summary:
    "One certificate as a PDF file with its verification QR code (its volunteer, or staff of the issuing organisation)",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery },
  responses: {
    200: { description: "PDF", content: { "application/pdf": { schema: z.string() } } },
    ...errors(401, 404),
  },
});

const staffListRoute = createRoute({
  method: "get",
  path: "/staff/certificates",
  tags: TAGS,
  summary: "Certificates my organisations issued, newest first",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: {
    200: jsonResponse(z.object({ certificates: z.array(Certificate) }), "Certificates"),
    ...errors(401, 403),
  },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/certificates/{id}/revoke",
  tags: TAGS,
  summary:
    "Revoke a certificate, with a reason (the issuing organisation's staff); its number then verifies as revoked",
  security: cookieAuth,
  request: {
    params: IdParam,
    query: NoQuery,
    ...jsonBody(z.strictObject({ reason: z.string().trim().min(2).max(300) })),
  },
  responses: { 200: jsonResponse(Certificate, "Revoked"), ...errors(400, 401, 404, 409) },
});

const verifyRoute = createRoute({
  method: "get",
  path: "/certificates/verify/{number}",
  tags: TAGS,
  summary:
    "Check a certificate number (public, no sign-in): who (name masked), what hours, issued by whom, valid or revoked",
  request: { params: z.strictObject({ number: CertificateNumber }), query: NoQuery },
  responses: { 200: jsonResponse(Verification, "The certificate"), ...errors(400, 404, 429) },
});

const qrRoute = createRoute({
  method: "get",
  path: "/certificates/verify/{number}/qr.svg",
  tags: TAGS,
  summary: "A QR code of the certificate's public verification address (SVG)",
  request: { params: z.strictObject({ number: CertificateNumber }), query: NoQuery },
  responses: {
    200: { description: "SVG", content: { "image/svg+xml": { schema: z.string() } } },
    ...errors(400),
  },
});

// ---------- helpers ----------

type Row = typeof volunteerCertificates.$inferSelect;

function toCertificate(row: Row): Certificate {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    realName: row.realName,
    idMasked: `**************${row.idLast4}`,
    volunteerNumber: row.volunteerNumber,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    minutes: row.minutes,
    records: row.records,
    issuedAt: row.issuedAt,
    revokedAt: row.revokedAt,
    revokeReason: row.revokeReason,
  };
}

/** Crockford's base-32 letters (no I, L, O, U): nothing to misread when typed from paper. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function newCertificateNumber(at: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const chars = [...bytes].map((b) => ALPHABET[b % 32]).join("");
  return `JZC-${shanghaiDate(at).slice(0, 4)}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

async function certificatesWhere(c: Context<AppEnv>, where: SQL) {
  return c.var.db
    .select()
    .from(volunteerCertificates)
    .where(where)
    .orderBy(desc(volunteerCertificates.issuedAt))
    .limit(200);
}

/** A certificate for its volunteer or the issuing organisation's staff; anyone else's answers 404. */
async function certificateForReader(c: Context<AppEnv>, id: string) {
  const account = await requireAccount(c);
  const [row] = await certificatesWhere(c, eq(volunteerCertificates.id, id));
  if (!row) throw new ApiError("NOT_FOUND", "Certificate not found");
  const volunteer = await myRegistration(c, account.id);
  const issuerStaff = staffOfOrganisation(account, row.organisationId);
  if (volunteer?.id !== row.volunteerId && !issuerStaff) throw new ApiError("NOT_FOUND", "Certificate not found");
  return row;
}

function myRegistration(c: Context<AppEnv>, accountId: string) {
  return registrationOfAccount(c.var.db, accountId);
}

export const certificatesRoutes = createRouter()
  .openapi(mineRoute, async (c) => {
    const account = await requireAccount(c);
    const volunteer = await myRegistration(c, account.id);
    const rows = volunteer ? await certificatesWhere(c, eq(volunteerCertificates.volunteerId, volunteer.id)) : [];
    return c.json({ certificates: rows.map(toCertificate) }, 200);
  })
  .openapi(requestRoute, async (c) => {
    const account = await requireAccount(c);
    const input = c.req.valid("json");
    const db = c.var.db;
    const volunteer = await myRegistration(c, account.id);
    if (!volunteer?.number || !["approved", "suspended"].includes(volunteer.status)) {
      throw new ApiError("FORBIDDEN", "Only registered volunteers get service certificates");
    }
    const at = now();
    if (input.from > shanghaiDate(at)) throw new ApiError("VALIDATION_FAILED", "from: the period has not begun");
    const [org] = await db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, input.organisationId))
      .limit(1);
    if (!org) throw new ApiError("NOT_FOUND", "Organisation not found");
    const start = fromShanghai(input.from, "00:00");
    const end = fromShanghai(input.to, "00:00") + DAY;
    const [totals] = await db
      .select({
        minutes: sql<number>`coalesce(sum(${volunteerServiceRecords.minutes}), 0)`,
        records: sql<number>`count(*)`,
      })
      .from(volunteerServiceRecords)
      .where(
        and(
          eq(volunteerServiceRecords.volunteerId, volunteer.id),
          eq(volunteerServiceRecords.organisationId, org.id),
          eq(volunteerServiceRecords.status, "approved"),
          sql`${volunteerServiceRecords.startedAt} >= ${start} AND ${volunteerServiceRecords.startedAt} < ${end}`,
        ),
      );
    const minutes = Number(totals?.minutes ?? 0);
    if (minutes <= 0) {
      throw new ApiError("CONFLICT", "No approved hours with this organisation in this period");
    }
    const id = newId("crt");
    const inserted = await db
      .insert(volunteerCertificates)
      .values({
        id,
        number: newCertificateNumber(at),
        volunteerId: volunteer.id,
        organisationId: org.id,
        periodFrom: input.from,
        periodTo: input.to,
        minutes,
        records: Number(totals?.records ?? 0),
        realName: volunteer.realName,
        idLast4: volunteer.idLast4,
        volunteerNumber: volunteer.number,
        organisationName: org.name,
        issuedAt: at,
        requestedByAccountId: account.id,
      })
      .onConflictDoNothing()
      .returning();
    // Asked before for the same issuer and period: that certificate (hours approved since then
    // need a new period, or the old one revoked).
    const [row] = inserted.length
      ? inserted
      : await certificatesWhere(
          c,
          and(
            eq(volunteerCertificates.volunteerId, volunteer.id),
            eq(volunteerCertificates.organisationId, org.id),
            eq(volunteerCertificates.periodFrom, input.from),
            eq(volunteerCertificates.periodTo, input.to),
            eq(volunteerCertificates.status, "valid"),
          ) as SQL,
        );
    if (!row) throw new ApiError("CONFLICT", "Try again");
    return c.json(toCertificate(row), 201);
  })
  .openapi(oneRoute, async (c) => {
    return c.json(toCertificate(await certificateForReader(c, c.req.valid("param").id)), 200);
  })
  .openapi(pdfRoute, async (c) => {
    const row = await certificateForReader(c, c.req.valid("param").id);
    const url = `${new URL(c.req.url).origin}/verify/${row.number}`;
    const pdf = certificatePdf(toCertificate(row), url, now());
    return c.body(pdf.buffer as ArrayBuffer, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${row.number}.pdf"`,
      "Cache-Control": "private, no-store",
    });
  })
  .openapi(staffListRoute, async (c) => {
    const account = await requireStaff(c);
    const mine = isStreetAdmin(account) ? null : [...organisationScopes(account)];
    if (mine && mine.length === 0) throw new ApiError("FORBIDDEN", "Organisation staff only");
    const rows = await certificatesWhere(
      c,
      mine
        ? sql`${volunteerCertificates.organisationId} IN (${sql.join(
            mine.map((id) => sql`${id}`),
            sql`, `,
          )})`
        : sql`1`,
    );
    return c.json({ certificates: rows.map(toCertificate) }, 200);
  })
  .openapi(revokeRoute, async (c) => {
    const account = await requireStaff(c);
    const id = c.req.valid("param").id;
    const { reason } = c.req.valid("json");
    const db = c.var.db;
    const [row] = await certificatesWhere(c, eq(volunteerCertificates.id, id));
    if (!row || !staffOfOrganisation(account, row.organisationId)) {
      throw new ApiError("NOT_FOUND", "Certificate not found");
    }
    if (row.status !== "valid") throw new ApiError("CONFLICT", "This certificate is already revoked");
    const at = now();
    const changed = sql`EXISTS (SELECT 1 FROM ${volunteerCertificates} WHERE ${volunteerCertificates.id} = ${id}
      AND ${volunteerCertificates.status} = 'revoked' AND ${volunteerCertificates.revokedAt} = ${at})`;
    const [updated] = await db.batch([
      db
        .update(volunteerCertificates)
        .set({ status: "revoked", revokedAt: at, revokedByAccountId: account.id, revokeReason: reason })
        .where(and(eq(volunteerCertificates.id, id), eq(volunteerCertificates.status, "valid")))
        .returning(),
      auditInsert(
        c,
        {
          action: "certificate.revoke",
          subjectType: "certificate",
          subjectId: id,
          detail: { number: row.number, reason },
        },
        changed,
      ),
      insertWhere(
        db,
        notifications,
        {
          id: newSortableId("ntf", at),
          accountId: sql`(SELECT ${volunteers.accountId} FROM ${volunteers} WHERE ${volunteers.id} = ${row.volunteerId})`,
          kind: "certificate_revoked",
          title: "志愿服务证明已撤销",
          body: `志愿服务证明 ${row.number} 已被${row.organisationName}撤销：${reason}。`,
          link: "/volunteer/certificates",
          params: { code: row.number, organisation: row.organisationName, reason },
          createdAt: at,
        },
        sql`WHERE ${changed}`,
      ),
    ]);
    const [after] = updated;
    if (!after) throw new ApiError("CONFLICT", "This certificate was revoked meanwhile");
    return c.json(toCertificate(after), 200);
  })
  .openapi(verifyRoute, async (c) => {
    const { number } = c.req.valid("param");
    const at = now();
    if (!(await hit(c.var.db, `cert_verify:ip:${clientIp(c)}`, HOUR, VERIFICATIONS_PER_HOUR, at))) {
      throw new ApiError("RATE_LIMITED", "Too many checks from this network; try later");
    }
    const [row] = await certificatesWhere(c, eq(volunteerCertificates.number, number));
    if (!row) throw new ApiError("NOT_FOUND", "No certificate has this number");
    return c.json(
      {
        number: row.number,
        status: row.status,
        nameMasked: maskName(row.realName),
        volunteerNumber: row.volunteerNumber,
        organisationName: row.organisationName,
        periodFrom: row.periodFrom,
        periodTo: row.periodTo,
        minutes: row.minutes,
        issuedAt: row.issuedAt,
        revokedAt: row.revokedAt,
      },
      200,
    );
  })
  .openapi(qrRoute, (c) => {
    const { number } = c.req.valid("param");
    const url = `${new URL(c.req.url).origin}/verify/${number}`;
    return c.body(renderSVG(url, { border: 2 }), 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=86400",
    });
  });
