import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { shanghaiDate } from "../../worker/lib/shanghai";
import {
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createOrgStaff,
  createVolunteer,
  inboxOf,
  json,
  type TestAccount,
} from "../factories";

type Certificate = {
  id: string;
  number: string;
  status: string;
  realName: string;
  idMasked: string;
  volunteerNumber: string;
  organisationName: string;
  periodFrom: string;
  periodTo: string;
  minutes: number;
  records: number;
};

const HOUR = 3_600_000;

let community: string;
let approver: TestAccount;
let organisationId: string;
let staff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  approver = await createCommunityStaff(community);
  ({ organisationId, staff } = await createOrgStaff("social_organisation", community));
});

/** A volunteer with `minutes` of approved hours entered by the organisation yesterday. */
async function volunteerWithHours(minutes: number, name = "王小明") {
  const volunteer = await createVolunteer(community, { approver, name });
  const startedAt = Date.now() - 30 * HOUR;
  const entered = await call("/api/service-records", {
    cookie: staff.cookie,
    body: {
      number: volunteer.number,
      organisationId,
      title: "助老探访",
      startedAt,
      endedAt: startedAt + minutes * 60_000,
    },
  });
  expect(entered.status).toBe(201);
  const { id } = await json<{ id: string }>(entered);
  expect((await call(`/api/service-records/${id}/approve`, { cookie: staff.cookie, method: "POST" })).status).toBe(200);
  return volunteer;
}

function period() {
  const today = shanghaiDate(Date.now());
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

async function requestCertificate(who: TestAccount, body: Record<string, unknown> = {}) {
  return call("/api/volunteers/me/certificates", {
    cookie: who.cookie,
    body: { organisationId, ...period(), ...body },
  });
}

describe("service certificates", () => {
  it("a volunteer gets a certificate of the organisation's approved hours; asking again returns the same one", async () => {
    // Yesterday may be last year on 1 January: cover it.
    const volunteer = await volunteerWithHours(150);
    const from = shanghaiDate(Date.now() - 2 * 24 * HOUR);
    const res = await requestCertificate(volunteer, { from });
    expect(res.status).toBe(201);
    const certificate = await json<Certificate>(res);
    expect(certificate).toMatchObject({
      status: "valid",
      realName: "王小明",
      volunteerNumber: volunteer.number,
      minutes: 150,
      records: 1,
      periodFrom: from,
    });
    expect(certificate.number).toMatch(/^JZC-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(certificate.idMasked).toMatch(/^\*{14}\w{4}$/);
    const again = await json<Certificate>(await requestCertificate(volunteer, { from }));
    expect(again.number).toBe(certificate.number);
    const mine = await json<{ certificates: Certificate[] }>(
      await call("/api/volunteers/me/certificates", { cookie: volunteer.cookie }),
    );
    expect(mine.certificates.map((c) => c.id)).toEqual([certificate.id]);
  });

  it("anyone checks a number: name masked, no ID number; unknown is 404, malformed 400", async () => {
    const volunteer = await volunteerWithHours(60, "欧阳娜娜");
    const from = shanghaiDate(Date.now() - 2 * 24 * HOUR);
    const certificate = await json<Certificate>(await requestCertificate(volunteer, { from }));
    const res = await call(`/api/certificates/verify/${certificate.number.toLowerCase()}`);
    expect(res.status).toBe(200);
    const body = await json<Record<string, unknown>>(res);
    expect(body).toMatchObject({
      status: "valid",
      nameMasked: "欧***",
      minutes: 60,
      volunteerNumber: volunteer.number,
    });
    expect(JSON.stringify(body)).not.toContain("欧阳娜娜");
    expect(JSON.stringify(body)).not.toContain(certificate.idMasked.slice(-4));
    expect((await call("/api/certificates/verify/JZC-2026-0000-0000")).status).toBe(404);
    expect((await call("/api/certificates/verify/12345")).status).toBe(400);
    const qr = await call(`/api/certificates/verify/${certificate.number}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get("content-type")).toContain("image/svg+xml");
    expect(await qr.text()).toContain("<svg");
  });

  it("the issuing organisation revokes it with a reason: it then verifies as revoked and the volunteer is told", async () => {
    const volunteer = await volunteerWithHours(90);
    const from = shanghaiDate(Date.now() - 2 * 24 * HOUR);
    const certificate = await json<Certificate>(await requestCertificate(volunteer, { from }));
    const { staff: other } = await createOrgStaff("social_organisation", community);
    const foreign = await call(`/api/certificates/${certificate.id}/revoke`, {
      cookie: other.cookie,
      body: { reason: "越权" },
    });
    expect(foreign.status).toBe(404);
    expect((await call(`/api/certificates/${certificate.id}/revoke`, { cookie: staff.cookie, body: {} })).status).toBe(
      400,
    );
    const revoked = await call(`/api/certificates/${certificate.id}/revoke`, {
      cookie: staff.cookie,
      body: { reason: "时长记录有误" },
    });
    expect(revoked.status).toBe(200);
    expect(
      (await call(`/api/certificates/${certificate.id}/revoke`, { cookie: staff.cookie, body: { reason: "再次" } }))
        .status,
    ).toBe(409);
    const check = await json<{ status: string; revokedAt: number }>(
      await call(`/api/certificates/verify/${certificate.number}`),
    );
    expect(check.status).toBe("revoked");
    expect(check.revokedAt).toBeGreaterThan(0);
    const [notice] = await inboxOf(volunteer);
    expect(notice).toMatchObject({ kind: "certificate_revoked" });
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'certificate.revoke' AND subject_id = ?",
    )
      .bind(certificate.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
    // A new one for the same period gets a new number.
    const fresh = await json<Certificate>(await requestCertificate(volunteer, { from }));
    expect(fresh.number).not.toBe(certificate.number);
  });

  it("refuses: no approved hours (409), not a volunteer (403), a period the wrong way round or over a year (400)", async () => {
    const volunteer = await createVolunteer(community, { approver });
    expect((await requestCertificate(volunteer)).status).toBe(409);
    const resident = await createAccount();
    expect((await requestCertificate(resident)).status).toBe(403);
    expect((await requestCertificate(volunteer, { from: "2026-05-01", to: "2026-04-01" })).status).toBe(400);
    expect((await requestCertificate(volunteer, { from: "2024-01-01", to: "2026-01-01" })).status).toBe(400);
    expect((await requestCertificate(volunteer, { organisationId: "org_nowhere" })).status).toBe(404);
    expect((await call("/api/volunteers/me/certificates", { body: { organisationId, ...period() } })).status).toBe(401);
  });

  it("a certificate in full is for its volunteer and the issuer's staff only (others 404)", async () => {
    const volunteer = await volunteerWithHours(30);
    const from = shanghaiDate(Date.now() - 2 * 24 * HOUR);
    const certificate = await json<Certificate>(await requestCertificate(volunteer, { from }));
    expect((await call(`/api/certificates/${certificate.id}`, { cookie: volunteer.cookie })).status).toBe(200);
    expect((await call(`/api/certificates/${certificate.id}`, { cookie: staff.cookie })).status).toBe(200);
    const other = await createVolunteer(community, { approver });
    expect((await call(`/api/certificates/${certificate.id}`, { cookie: other.cookie })).status).toBe(404);
    const { staff: otherStaff } = await createOrgStaff("social_organisation", community);
    expect((await call(`/api/certificates/${certificate.id}`, { cookie: otherStaff.cookie })).status).toBe(404);
    const issued = await json<{ certificates: Certificate[] }>(
      await call("/api/staff/certificates", { cookie: staff.cookie }),
    );
    expect(issued.certificates.map((c) => c.id)).toContain(certificate.id);
    const notIssued = await json<{ certificates: Certificate[] }>(
      await call("/api/staff/certificates", { cookie: otherStaff.cookie }),
    );
    expect(notIssued.certificates.map((c) => c.id)).not.toContain(certificate.id);
  });
});
