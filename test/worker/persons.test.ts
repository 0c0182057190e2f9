import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, persons, proxyLinks } from "../../db/schema";
import {
  call,
  createAccount,
  createCommunity,
  createCompound,
  createManagedPerson,
  db,
  grantRole,
  json,
  lastSms,
  linkProxy,
  randomIdNumber,
  randomPhone,
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type Link = { id: string; status: string; personName: string; consentMethod: string | null; proxyPhoneMasked: string };
type Me = {
  persons: Array<{ id: string; relationship: string; name: string; linkId: string | null; scope: string }>;
  pendingProxyRequests: number;
};

let community: string;
let staff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  staff = await createAccount({ name: "网格员小王" });
  await grantRole(staff.id, "grid_worker", { communityId: community });
});

describe("managed persons", () => {
  // 11010519491231002X is a well-formed sample number (valid check digit).
  const ID_NUMBER = "11010519491231002X";

  it("refuses a birth date the ID number contradicts (400, nothing stored): age decides eligibility", async () => {
    const res = await call("/api/persons", {
      cookie: staff.cookie,
      body: { name: "张桂兰", birthDate: "1941-03-02", communityId: community, idNumber: ID_NUMBER },
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n FROM persons WHERE id_last4 = '002X' AND birth_date = '1941-03-02'",
    ).first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it("an ID number with an impossible date is refused for itself, not called a mismatch with the birth date", async () => {
    const res = await call("/api/persons", {
      cookie: staff.cookie,
      body: { name: "张桂兰", birthDate: "1949-12-31", communityId: community, idNumber: "110105194913310021" },
    });
    expect(res.status).toBe(400);
    const { error } = await json<{ error: { message: string } }>(res);
    expect(error.message).toContain("ID number");
    expect(error.message).not.toContain("does not match");
  });

  it("the birth date of a person registered with an ID number cannot be changed (409); without one it can", async () => {
    const withId = await json<{ id: string }>(
      await call("/api/persons", {
        cookie: staff.cookie,
        body: { name: "张桂兰", birthDate: "1949-12-31", communityId: community, idNumber: randomIdNumber("19491231") },
      }),
    );
    const changed = await call(`/api/persons/${withId.id}`, {
      cookie: staff.cookie,
      method: "PATCH",
      body: { birthDate: "1939-12-31" },
    });
    expect(changed.status).toBe(409);
    const row = await env.DB.prepare("SELECT birth_date AS b FROM persons WHERE id = ?")
      .bind(withId.id)
      .first<{ b: string }>();
    expect(row?.b).toBe("1949-12-31");
    // Other fields, and the same date, are fine.
    expect(
      (
        await call(`/api/persons/${withId.id}`, {
          cookie: staff.cookie,
          method: "PATCH",
          body: { birthDate: "1949-12-31", address: "一区5号" },
        })
      ).status,
    ).toBe(200);
    const without = await json<{ id: string }>(
      await call("/api/persons", {
        cookie: staff.cookie,
        body: { name: "王秀英", birthDate: "1944-01-01", communityId: community },
      }),
    );
    expect(
      (
        await call(`/api/persons/${without.id}`, {
          cookie: staff.cookie,
          method: "PATCH",
          body: { birthDate: "1943-01-01" },
        })
      ).status,
    ).toBe(200);
  });

  it("grid workers register an elder without a phone; the ID number is kept only as last four + hash", async () => {
    const compound = await createCompound(community);
    const res = await call("/api/persons", {
      cookie: staff.cookie,
      body: {
        name: "张桂兰",
        birthDate: "1949-12-31",
        gender: "female",
        communityId: community,
        compoundId: compound,
        idNumber: ID_NUMBER,
        phone: "13812345678",
      },
    });
    expect(res.status).toBe(201);
    const person = await json<{ id: string; idMasked: string; phoneMasked: string; managed: boolean }>(res);
    expect(person).toMatchObject({ idMasked: "**************002X", phoneMasked: "138****5678", managed: true });

    const [row] = await db().select().from(persons).where(eq(persons.id, person.id));
    expect(row?.idLast4).toBe("002X");
    expect(row?.idHash).toMatch(/^[0-9a-f]{64}$/);
    const raw = JSON.stringify(await env.DB.prepare("SELECT * FROM persons WHERE id = ?").bind(person.id).first());
    expect(raw).not.toContain("110105");

    const [audit] = await db().select().from(auditLog).where(eq(auditLog.subjectId, person.id));
    expect(audit).toMatchObject({ action: "person.create", actorAccountId: staff.id });
  });

  it("refuses the same ID number twice", async () => {
    const body = { name: "甲", birthDate: "1945-01-01", communityId: community, idNumber: randomIdNumber() };
    expect((await call("/api/persons", { cookie: staff.cookie, body })).status).toBe(201);
    const again = await call("/api/persons", { cookie: staff.cookie, body: { ...body, name: "乙" } });
    expect(again.status).toBe(409);
    // Saying a number is on the register is itself kept: by whom, about whom.
    const [first] = await db()
      .select()
      .from(persons)
      .where(and(eq(persons.communityId, community), eq(persons.name, "甲")));
    const refused = await db().select().from(auditLog).where(eq(auditLog.action, "person.create_refused"));
    expect(refused.filter((a) => a.actorAccountId === staff.id)).toEqual([
      expect.objectContaining({
        subjectId: first?.id,
        personId: first?.id,
        detail: { reason: "id_number_known", communityId: community },
      }),
    ]);
  });

  it.each([
    [{ name: "", birthDate: "1941-03-02" }, "empty name"],
    [{ name: "张", birthDate: "1941-13-02" }, "impossible date"],
    [{ name: "张", birthDate: "1941-03-02", idNumber: "110105194912310021" }, "bad ID check digit"],
    [{ name: "张", birthDate: "1941-03-02", phone: "12345" }, "bad phone"],
    [{ name: "张", birthDate: "1941-03-02", extra: true }, "unknown field"],
  ] as Array<[Record<string, unknown>, string]>)("refuses %o (%s)", async (fields) => {
    const res = await call("/api/persons", { cookie: staff.cookie, body: { communityId: community, ...fields } });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe("VALIDATION_FAILED");
  });

  it("refuses a compound from another community", async () => {
    const other = await createCompound(await createCommunity());
    const res = await call("/api/persons", {
      cookie: staff.cookie,
      body: { name: "张", birthDate: "1941-03-02", communityId: community, compoundId: other },
    });
    expect(res.status).toBe(404);
  });

  it("lists persons of the staff member's community with phones masked, searchable by name", async () => {
    await createManagedPerson(community, "王淑芬");
    await createManagedPerson(await createCommunity(), "外社区老人");
    const res = await call("/api/persons?q=%E7%8E%8B%E6%B7%91", { cookie: staff.cookie });
    expect(res.status).toBe(200);
    const body = await json<{ persons: Array<{ name: string; phoneMasked: string }>; total: number }>(res);
    expect(body.persons.map((p) => p.name)).toEqual(["王淑芬"]);
    expect(body.persons[0]?.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const all = await json<{ persons: Array<{ name: string }> }>(await call("/api/persons", { cookie: staff.cookie }));
    expect(all.persons.map((p) => p.name)).not.toContain("外社区老人");
  });

  it("shows a person to themselves, their proxy and their community's staff — and 404 to anyone else", async () => {
    const elder = await createManagedPerson(community);
    const daughter = await createAccount();
    await linkProxy(daughter.id, elder, staff.id);
    const stranger = await createAccount();
    const otherStaff = await createAccount();
    await grantRole(otherStaff.id, "community_staff", { communityId: await createCommunity() });

    expect((await call(`/api/persons/${elder}`, { cookie: daughter.cookie })).status).toBe(200);
    expect((await call(`/api/persons/${elder}`, { cookie: staff.cookie })).status).toBe(200);
    expect((await call(`/api/persons/${elder}`, { cookie: stranger.cookie })).status).toBe(404);
    expect((await call(`/api/persons/${elder}`, { cookie: otherStaff.cookie })).status).toBe(404);
    expect((await call("/api/persons/per_doesnotexist", { cookie: stranger.cookie })).status).toBe(404);
    // Another resident's own person is just as hidden.
    expect((await call(`/api/persons/${daughter.personId}`, { cookie: stranger.cookie })).status).toBe(404);
    expect((await call(`/api/persons/${daughter.personId}/proxy-links`, { cookie: stranger.cookie })).status).toBe(404);
  });

  it("audits staff views of a person", async () => {
    const elder = await createManagedPerson(community);
    await call(`/api/persons/${elder}`, { cookie: staff.cookie });
    const rows = await db().select().from(auditLog).where(eq(auditLog.subjectId, elder));
    expect(rows.map((r) => r.action)).toContain("person.view");
  });
});

describe("proxy links recorded by staff", () => {
  it("links a family member with a consent record; they can then act for the elder", async () => {
    const elder = await createManagedPerson(community, "张桂兰");
    const daughterPhone = randomPhone();
    const res = await call(`/api/persons/${elder}/proxy-links`, {
      cookie: staff.cookie,
      body: {
        proxyPhone: daughterPhone,
        relationship: "child",
        scope: "all",
        consentMethod: "signed_paper",
        consentNote: "签字同意书已存档",
      },
    });
    expect(res.status).toBe(201);
    const link = await json<Link>(res);
    expect(link).toMatchObject({ status: "active", consentMethod: "signed_paper", personName: "张桂兰" });
    expect(link.proxyPhoneMasked).toBe(`${daughterPhone.slice(0, 3)}****${daughterPhone.slice(7)}`);

    const [row] = await db().select().from(proxyLinks).where(eq(proxyLinks.id, link.id));
    expect(row?.consentRecordedByAccountId).toBe(staff.id);
    expect(row?.consentRecordedAt).toBeTypeOf("number");
    expect(await lastSms(daughterPhone)).toContain("张桂兰");

    const daughter = await createAccount({ phone: daughterPhone });
    const me = await json<Me>(await call("/api/me", { cookie: daughter.cookie }));
    expect(me.persons.map((p) => [p.id, p.relationship])).toContainEqual([elder, "child"]);
    // The link itself comes along (the site revokes it by this id).
    expect(me.persons.find((p) => p.id === elder)).toMatchObject({ linkId: link.id, scope: "all" });
  });

  it("refuses person_confirmed as a staff consent method and a second live link", async () => {
    const elder = await createManagedPerson(community);
    const phone = randomPhone();
    const bad = await call(`/api/persons/${elder}/proxy-links`, {
      cookie: staff.cookie,
      body: { proxyPhone: phone, relationship: "child", consentMethod: "person_confirmed" },
    });
    expect(bad.status).toBe(400);
    const body = { proxyPhone: phone, relationship: "child", consentMethod: "in_person" };
    expect((await call(`/api/persons/${elder}/proxy-links`, { cookie: staff.cookie, body })).status).toBe(201);
    expect((await call(`/api/persons/${elder}/proxy-links`, { cookie: staff.cookie, body })).status).toBe(409);
  });

  it("can be revoked by the proxy, ending their access", async () => {
    const elder = await createManagedPerson(community);
    const daughter = await createAccount();
    const linkId = await linkProxy(daughter.id, elder, staff.id);
    const res = await call(`/api/proxy-links/${linkId}/revoke`, { cookie: daughter.cookie, body: { reason: "搬家" } });
    expect(res.status).toBe(200);
    expect((await json<Link>(res)).status).toBe("revoked");
    expect((await call(`/api/persons/${elder}`, { cookie: daughter.cookie })).status).toBe(404);
    const again = await call(`/api/proxy-links/${linkId}/revoke`, { cookie: daughter.cookie, body: {} });
    expect(again.status).toBe(409);
  });

  it("can be revoked by community staff (audited) but not by a stranger", async () => {
    const elder = await createManagedPerson(community);
    const daughter = await createAccount();
    const linkId = await linkProxy(daughter.id, elder, staff.id);
    const stranger = await createAccount();
    expect((await call(`/api/proxy-links/${linkId}/revoke`, { cookie: stranger.cookie, body: {} })).status).toBe(404);
    expect((await call(`/api/proxy-links/${linkId}/revoke`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    const rows = await db().select().from(auditLog).where(eq(auditLog.subjectId, linkId));
    expect(rows.map((r) => r.action)).toEqual(["proxy_link.revoke"]);
  });
});

describe("proxy requests between accounts", () => {
  it("a resident asks; the family member confirms from their own account; consent is recorded", async () => {
    const mother = await createAccount({ name: "刘玉兰" });
    const son = await createAccount({ name: "刘强" });
    const res = await call("/api/proxy-requests", {
      cookie: son.cookie,
      body: { phone: mother.phone, relationship: "child" },
    });
    expect(res.status).toBe(201);
    const { request } = await json<{ request: Link }>(res);
    expect(request.status).toBe("pending");
    // The requester does not learn the name behind a number before the person agrees.
    expect(request.personName).toBe("");
    // The text names the asker by their masked number (their display name is their own words).
    expect(await lastSms(mother.phone)).toContain(`${son.phone.slice(0, 3)}****${son.phone.slice(-4)}`);

    const motherMe = await json<Me>(await call("/api/me", { cookie: mother.cookie }));
    expect(motherMe.pendingProxyRequests).toBe(1);
    const incoming = await json<{ incoming: Link[] }>(await call("/api/proxy-requests", { cookie: mother.cookie }));
    expect(incoming.incoming.map((l) => l.id)).toEqual([request.id]);

    // Only the person asked can confirm.
    expect(
      (await call(`/api/proxy-requests/${request.id}/confirm`, { method: "POST", cookie: son.cookie })).status,
    ).toBe(404);
    const confirmed = await call(`/api/proxy-requests/${request.id}/confirm`, {
      method: "POST",
      cookie: mother.cookie,
    });
    expect(confirmed.status).toBe(200);
    expect(await json<Link>(confirmed)).toMatchObject({ status: "active", consentMethod: "person_confirmed" });

    const [row] = await db().select().from(proxyLinks).where(eq(proxyLinks.id, request.id));
    expect(row?.consentRecordedByAccountId).toBe(mother.id);

    const sonMe = await json<Me>(await call("/api/me", { cookie: son.cookie }));
    expect(sonMe.persons.map((p) => [p.id, p.name])).toContainEqual([mother.personId, "刘玉兰"]);
  });

  it("a declined request gives no access and cannot be confirmed later", async () => {
    const mother = await createAccount();
    const son = await createAccount();
    const { request } = await json<{ request: Link }>(
      await call("/api/proxy-requests", { cookie: son.cookie, body: { phone: mother.phone, relationship: "child" } }),
    );
    expect(
      (await call(`/api/proxy-requests/${request.id}/decline`, { method: "POST", cookie: mother.cookie })).status,
    ).toBe(200);
    expect(
      (await call(`/api/proxy-requests/${request.id}/confirm`, { method: "POST", cookie: mother.cookie })).status,
    ).toBe(404);
    expect((await call(`/api/persons/${mother.personId}`, { cookie: son.cookie })).status).toBe(404);
  });

  it("works for a number that has no account yet, without revealing that", async () => {
    const son = await createAccount();
    const phone = randomPhone();
    const res = await call("/api/proxy-requests", { cookie: son.cookie, body: { phone, relationship: "child" } });
    expect(res.status).toBe(201);
    const mother = await createAccount({ phone });
    const incoming = await json<{ incoming: Link[] }>(await call("/api/proxy-requests", { cookie: mother.cookie }));
    expect(incoming.incoming).toHaveLength(1);
  });

  it("refuses asking for oneself and asking twice", async () => {
    const son = await createAccount();
    const self = await call("/api/proxy-requests", {
      cookie: son.cookie,
      body: { phone: son.phone, relationship: "child" },
    });
    expect(self.status).toBe(409);
    const phone = randomPhone();
    const body = { phone, relationship: "child" };
    expect((await call("/api/proxy-requests", { cookie: son.cookie, body })).status).toBe(201);
    expect((await call("/api/proxy-requests", { cookie: son.cookie, body })).status).toBe(409);
  });

  it("lets the person revoke a link from their side", async () => {
    const mother = await createAccount();
    const son = await createAccount();
    const { request } = await json<{ request: Link }>(
      await call("/api/proxy-requests", { cookie: son.cookie, body: { phone: mother.phone, relationship: "child" } }),
    );
    await call(`/api/proxy-requests/${request.id}/confirm`, { method: "POST", cookie: mother.cookie });
    expect((await call(`/api/proxy-links/${request.id}/revoke`, { cookie: mother.cookie, body: {} })).status).toBe(200);
    const sonMe = await json<Me>(await call("/api/me", { cookie: son.cookie }));
    expect(sonMe.persons.map((p) => p.id)).not.toContain(mother.personId);
  });

  it("limits how many numbers one account may ask per day (each one gets an SMS)", async () => {
    const son = await createAccount();
    for (let i = 0; i < 10; i++) {
      const res = await call("/api/proxy-requests", {
        cookie: son.cookie,
        body: { phone: randomPhone(), relationship: "child" },
      });
      expect(res.status).toBe(201);
    }
    const res = await call("/api/proxy-requests", {
      cookie: son.cookie,
      body: { phone: randomPhone(), relationship: "child" },
    });
    expect(res.status).toBe(429);
  });

  it("requires signing in", async () => {
    const res = await call("/api/proxy-requests", { body: { phone: randomPhone(), relationship: "child" } });
    expect(res.status).toBe(401);
  });
});
