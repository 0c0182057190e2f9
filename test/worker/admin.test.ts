import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, roleGrants } from "../../db/schema";
import {
  call,
  createAccount,
  createCommunity,
  createOrganisation,
  db,
  grantRole,
  json,
  randomPhone,
} from "../factories";

type Grant = { id: string; role: string; phoneMasked: string; revokedAt: number | null; scopeName: string | null };

async function streetAdmin() {
  const admin = await createAccount();
  await grantRole(admin.id, "street_admin");
  return admin;
}

describe("role grants", () => {
  it("a street admin grants a community role; the new staff member sees it and can open staff routes", async () => {
    const admin = await streetAdmin();
    const community = await createCommunity("新城社区");
    const phone = randomPhone();
    const res = await call("/api/admin/grants", {
      cookie: admin.cookie,
      body: { phone, role: "community_staff", communityId: community },
    });
    expect(res.status).toBe(201);
    const grant = await json<Grant>(res);
    expect(grant.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect(grant.scopeName).toMatch(/^新城社区/);

    const staff = await createAccount({ phone });
    const me = await json<{ isStaff: boolean }>(await call("/api/me", { cookie: staff.cookie }));
    expect(me.isStaff).toBe(true);
    expect((await call(`/api/persons?communityId=${community}`, { cookie: staff.cookie })).status).toBe(200);

    const [audit] = await db().select().from(auditLog).where(eq(auditLog.subjectId, grant.id));
    expect(audit).toMatchObject({ action: "grant.create", actorAccountId: admin.id });
  });

  it("checks that the scope matches the role", async () => {
    const admin = await streetAdmin();
    const community = await createCommunity();
    const org = await createOrganisation("clinic");
    const cases = [
      { role: "org_staff", communityId: community },
      { role: "community_staff", organisationId: org },
      { role: "street_admin", communityId: community },
      { role: "org_admin" },
    ];
    for (const body of cases) {
      const res = await call("/api/admin/grants", { cookie: admin.cookie, body: { phone: randomPhone(), ...body } });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const unknown = await call("/api/admin/grants", {
      cookie: admin.cookie,
      body: { phone: randomPhone(), role: "org_staff", organisationId: "org_nope" },
    });
    expect(unknown.status).toBe(404);
  });

  it("refuses granting the same role twice", async () => {
    const admin = await streetAdmin();
    const body = { phone: randomPhone(), role: "volunteer" };
    expect((await call("/api/admin/grants", { cookie: admin.cookie, body })).status).toBe(201);
    expect((await call("/api/admin/grants", { cookie: admin.cookie, body })).status).toBe(409);
  });

  it("an organisation admin adds and removes staff of their own organisation only", async () => {
    const org = await createOrganisation("elderly_centre");
    const other = await createOrganisation("elderly_centre");
    const orgAdmin = await createAccount();
    await grantRole(orgAdmin.id, "org_admin", { organisationId: org });

    const added = await call("/api/admin/grants", {
      cookie: orgAdmin.cookie,
      body: { phone: randomPhone(), role: "org_staff", organisationId: org },
    });
    expect(added.status).toBe(201);
    const grant = await json<Grant>(added);

    const elsewhere = await call("/api/admin/grants", {
      cookie: orgAdmin.cookie,
      body: { phone: randomPhone(), role: "org_staff", organisationId: other },
    });
    expect(elsewhere.status).toBe(403);
    const promote = await call("/api/admin/grants", {
      cookie: orgAdmin.cookie,
      body: { phone: randomPhone(), role: "org_admin", organisationId: org },
    });
    expect(promote.status).toBe(403);

    const list = await json<{ grants: Grant[] }>(await call("/api/admin/grants", { cookie: orgAdmin.cookie }));
    expect(list.grants.map((g) => g.id)).toContain(grant.id);
    expect(list.grants.every((g) => g.role.startsWith("org_"))).toBe(true);

    const revoked = await call(`/api/admin/grants/${grant.id}/revoke`, { method: "POST", cookie: orgAdmin.cookie });
    expect(revoked.status).toBe(200);
    expect((await json<Grant>(revoked)).revokedAt).toBeTypeOf("number");
    const again = await call(`/api/admin/grants/${grant.id}/revoke`, { method: "POST", cookie: orgAdmin.cookie });
    expect(again.status).toBe(409);
    const [row] = await db().select().from(roleGrants).where(eq(roleGrants.id, grant.id));
    expect(row?.revokedByAccountId).toBe(orgAdmin.id);
  });

  it("revoking a role takes effect on the holder's next request", async () => {
    const admin = await streetAdmin();
    const community = await createCommunity();
    const staff = await createAccount();
    const grantId = await grantRole(staff.id, "community_staff", { communityId: community });
    expect((await call("/api/persons", { cookie: staff.cookie })).status).toBe(200);
    await call(`/api/admin/grants/${grantId}/revoke`, { method: "POST", cookie: admin.cookie });
    expect((await call("/api/persons", { cookie: staff.cookie })).status).toBe(403);
  });

  it("a street admin cannot revoke their own admin role", async () => {
    const admin = await createAccount();
    const grantId = await grantRole(admin.id, "street_admin");
    const res = await call(`/api/admin/grants/${grantId}/revoke`, { method: "POST", cookie: admin.cookie });
    expect(res.status).toBe(409);
  });
});

describe("audit log", () => {
  it("lists staff actions newest first, with masked actor phones, and pages backwards", async () => {
    const admin = await streetAdmin();
    for (let i = 0; i < 3; i++) {
      await call("/api/admin/grants", { cookie: admin.cookie, body: { phone: randomPhone(), role: "volunteer" } });
    }
    const page = await json<{
      entries: Array<{ action: string; at: number; actorPhoneMasked: string }>;
      nextBefore: number | null;
    }>(await call("/api/admin/audit?limit=2&action=grant.create", { cookie: admin.cookie }));
    expect(page.entries).toHaveLength(2);
    expect(page.entries[0]?.actorPhoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(page.entries[0]?.at).toBeGreaterThanOrEqual(page.entries[1]?.at ?? 0);
    expect(page.nextBefore).toBeTypeOf("number");
  });
});
