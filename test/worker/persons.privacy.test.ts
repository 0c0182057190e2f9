import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WHOLE_NUMBER_SEARCHES_PER_DAY } from "../../worker/features/persons/persons.routes";
import {
  call,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOrgStaff,
  grantRole,
  json,
  lastSms,
  randomIdNumber,
  type TestAccount,
} from "../factories";

type Link = { id: string; personName: string; status: string };

let community: string;
let staff: TestAccount;
let admin: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  staff = await createAccount({ name: "社区工作人员" });
  await grantRole(staff.id, "community_staff", { communityId: community });
  admin = await createAccount({ name: "街道管理员" });
  await grantRole(admin.id, "street_admin");
});

afterEach(() => {
  vi.useRealTimers();
});

async function auditCount(action: string, subjectId: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = ? AND subject_id = ?")
    .bind(action, subjectId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("a request to act for someone", () => {
  it("never tells the requester whose number they typed, not even when they withdraw it", async () => {
    const stranger = await createAccount({ name: "赵秀梅" });
    const asker = await createAccount({ name: "钱某" });
    const res = await call("/api/proxy-requests", {
      cookie: asker.cookie,
      body: { phone: stranger.phone, relationship: "child" },
    });
    expect(res.status).toBe(201);
    const { request } = await json<{ request: Link }>(res);
    expect(request.personName).toBe("");
    const withdrawn = await call(`/api/proxy-links/${request.id}/revoke`, { cookie: asker.cookie, body: {} });
    expect(withdrawn.status).toBe(200);
    const link = await json<Link>(withdrawn);
    expect(link.status).toBe("revoked");
    expect(link.personName).toBe("");
    expect(JSON.stringify(link)).not.toContain("赵秀梅");
  });

  it("is texted under the platform's name without words the requester chose", async () => {
    const stranger = await createAccount();
    const asker = await createAccount();
    const lure = "您的医保已冻结请致电4001234567";
    expect((await call("/api/me", { method: "PATCH", cookie: asker.cookie, body: { displayName: lure } })).status).toBe(
      200,
    );
    const res = await call("/api/proxy-requests", {
      cookie: asker.cookie,
      body: { phone: stranger.phone, relationship: "child" },
    });
    expect(res.status).toBe(201);
    const sms = await lastSms(stranger.phone);
    expect(sms).not.toContain(lure);
    expect(sms).toContain(`${asker.phone.slice(0, 3)}****${asker.phone.slice(-4)}`);
  });
});

describe("staff searching persons by phone", () => {
  it("finds by the whole number or its last four digits, never by another part of it", async () => {
    const person = await createManagedPerson(community, "孙桂兰");
    const phone = (
      await env.DB.prepare("SELECT phone FROM persons WHERE id = ?").bind(person).first<{ phone: string }>()
    )?.phone;
    if (!phone) throw new Error("managed person without phone");
    const found = async (q: string) => {
      const res = await call(`/api/persons?communityId=${community}&q=${encodeURIComponent(q)}`, {
        cookie: staff.cookie,
      });
      expect(res.status).toBe(200);
      return (await json<{ persons: Array<{ id: string }> }>(res)).persons.some((p) => p.id === person);
    };
    expect(await found(phone)).toBe(true);
    expect(await found(phone.slice(-4))).toBe(true);
    expect(await found("孙桂")).toBe(true);
    // Digit by digit from the front, or any middle run, would read a masked number whole.
    expect(await found(phone.slice(0, 4))).toBe(false);
    expect(await found(phone.slice(3, 7))).toBe(false);
    expect(await found(phone.slice(0, 10))).toBe(false);
  });

  it("by the whole number only so often a day: trying every number a mask hides is refused", async () => {
    // Held at 07:59 Beijing: the day's count must not restart at 08:00, midnight UTC.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2026-12-01T07:59:00+08:00"));
    const prefix = `139${String(Date.now() % 10_000).padStart(4, "0")}`;
    const search = (q: string) =>
      call(`/api/persons?communityId=${community}&q=${encodeURIComponent(q)}`, { cookie: staff.cookie });
    for (let i = 0; i < WHOLE_NUMBER_SEARCHES_PER_DAY; i++) {
      expect((await search(`${prefix}${String(i).padStart(4, "0")}`)).status).toBe(200);
    }
    vi.setSystemTime(Date.parse("2026-12-01T08:01:00+08:00"));
    const refused = await search(`${prefix}9999`);
    expect(refused.status).toBe(429);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe("RATE_LIMITED");
    // Names and last four digits are still searched; another member of staff has her own count.
    expect((await search("孙桂")).status).toBe(200);
    expect((await search("1234")).status).toBe(200);
    expect((await call(`/api/persons?q=${prefix}9999`, { cookie: admin.cookie })).status).toBe(200);
    // The audit keeps the number masked, with a keyed hash that tells two numbers apart.
    const rows = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE action = 'person.search' AND actor_account_id = ? AND detail LIKE ?",
    )
      .bind(staff.id, `%${prefix.slice(0, 3)}****%`)
      .all<{ detail: string }>();
    const details = rows.results.map((r) => JSON.parse(r.detail) as { q: string; numberHash: string });
    expect(details).toHaveLength(WHOLE_NUMBER_SEARCHES_PER_DAY);
    expect(details.every((d) => !d.q.includes(prefix))).toBe(true);
    expect(new Set(details.map((d) => d.numberHash)).size).toBe(WHOLE_NUMBER_SEARCHES_PER_DAY);
    // The next Beijing day, searching again is allowed.
    vi.setSystemTime(Date.parse("2026-12-02T00:01:00+08:00"));
    expect((await search(`${prefix}9999`)).status).toBe(200);
  });
});

describe("a link staff register for a resident with their own account", () => {
  type Inbox = {
    notifications: Array<{ kind: string; body: string; link: string | null; params: { proxy?: string } | null }>;
  };

  it("is told to the resident, in the inbox and by SMS, with the proxy's number masked", async () => {
    const mother = await createAccount({ name: "孙桂兰" });
    await env.DB.prepare("UPDATE persons SET community_id = ? WHERE id = ?").bind(community, mother.personId).run();
    const daughter = await createAccount();
    const linked = await call(`/api/persons/${mother.personId}/proxy-links`, {
      cookie: staff.cookie,
      body: { proxyPhone: daughter.phone, relationship: "child", consentMethod: "signed_paper" },
    });
    expect(linked.status).toBe(201);

    const masked = `${daughter.phone.slice(0, 3)}****${daughter.phone.slice(-4)}`;
    const inbox = await json<Inbox>(await call("/api/notifications", { cookie: mother.cookie }));
    const notice = inbox.notifications.find((n) => n.kind === "proxy_linked_for_you");
    expect(notice?.link).toBe("/me");
    expect(notice?.params?.proxy).toBe(masked);
    expect(notice?.body).toContain(masked);
    const sms = await lastSms(mother.phone);
    expect(sms).toContain(masked);
    expect(sms).not.toContain(daughter.phone);
    // The proxy is not told of it twice, nor given the resident's notice.
    const theirs = await json<Inbox>(await call("/api/notifications", { cookie: daughter.cookie }));
    expect(theirs.notifications.some((n) => n.kind === "proxy_linked_for_you")).toBe(false);
  });

  it("a managed person without an account gets no notice, and a refused link tells no one", async () => {
    const elder = await createManagedPerson(community);
    const daughter = await createAccount();
    const body = { proxyPhone: daughter.phone, relationship: "child", consentMethod: "in_person" };
    expect((await call(`/api/persons/${elder}/proxy-links`, { cookie: staff.cookie, body })).status).toBe(201);
    const count = async () =>
      (
        await env.DB.prepare(
          "SELECT count(*) AS n FROM notifications WHERE kind = 'proxy_linked_for_you' AND body LIKE ?",
        )
          .bind(`%${daughter.phone.slice(-4)}%`)
          .first<{ n: number }>()
      )?.n;
    expect(await count()).toBe(0);

    const mother = await createAccount();
    await env.DB.prepare("UPDATE persons SET community_id = ? WHERE id = ?").bind(community, mother.personId).run();
    const mine = { ...body };
    expect(
      (await call(`/api/persons/${mother.personId}/proxy-links`, { cookie: staff.cookie, body: mine })).status,
    ).toBe(201);
    expect(
      (await call(`/api/persons/${mother.personId}/proxy-links`, { cookie: staff.cookie, body: mine })).status,
    ).toBe(409);
    expect(await count()).toBe(1);
  });
});

describe("staff reading residents' records", () => {
  async function searches(actor: string) {
    const rows = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE action = 'person.search' AND actor_account_id = ? ORDER BY at, id",
    )
      .bind(actor)
      .all<{ detail: string }>();
    return rows.results.map((r) => JSON.parse(r.detail) as { q: string | null; results: number });
  }

  it("each search is audited with what was asked, a phone number masked", async () => {
    const resident = await createAccount({ name: "冯玉珍" });
    await env.DB.prepare("UPDATE persons SET community_id = ?, phone = ? WHERE id = ?")
      .bind(community, resident.phone, resident.personId)
      .run();
    expect((await call("/api/persons?q=冯玉珍", { cookie: staff.cookie })).status).toBe(200);
    const byPhone = await call(`/api/persons?q=${resident.phone}`, { cookie: staff.cookie });
    expect((await json<{ total: number }>(byPhone)).total).toBe(1);
    expect((await call("/api/persons", { cookie: staff.cookie })).status).toBe(200);
    const spaced = `${resident.phone.slice(0, 3)} ${resident.phone.slice(3, 7)}-${resident.phone.slice(7)}`;
    expect((await call(`/api/persons?q=${encodeURIComponent(spaced)}`, { cookie: staff.cookie })).status).toBe(200);

    const masked = `${resident.phone.slice(0, 3)}****${resident.phone.slice(-4)}`;
    const logged = await searches(staff.id);
    expect(logged.map((d) => d.q)).toEqual(["冯玉珍", masked, null, masked]);
    expect(logged[1]?.results).toBe(1);
    const raw = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE detail LIKE ?")
      .bind(`%${resident.phone}%`)
      .first<{ n: number }>();
    expect(raw?.n).toBe(0);
  });

  it("a refused search is not logged as one; a staff look at someone's proxies is, their own is not", async () => {
    const resident = await createAccount();
    expect((await call("/api/persons?q=张", { cookie: resident.cookie })).status).toBe(403);
    expect(await searches(resident.id)).toEqual([]);
    const elsewhere = await createCommunity();
    expect((await call(`/api/persons?communityId=${elsewhere}`, { cookie: staff.cookie })).status).toBe(404);
    const { staff: orgStaff } = await createOrgStaff("elderly_centre", community);
    expect((await call("/api/persons?q=张", { cookie: orgStaff.cookie })).status).toBe(403);
    expect(await searches(staff.id)).toEqual([]);
    expect(await searches(orgStaff.id)).toEqual([]);

    const elder = await createManagedPerson(community);
    const daughter = await createAccount();
    const body = { proxyPhone: daughter.phone, relationship: "child", consentMethod: "in_person" };
    expect((await call(`/api/persons/${elder}/proxy-links`, { cookie: staff.cookie, body })).status).toBe(201);
    expect((await call(`/api/persons/${elder}/proxy-links`, { cookie: daughter.cookie })).status).toBe(200);
    expect(await auditCount("proxy_link.list", elder)).toBe(0);
    expect((await call(`/api/persons/${elder}/proxy-links`, { cookie: staff.cookie })).status).toBe(200);
    expect(await auditCount("proxy_link.list", elder)).toBe(1);
  });
});

describe("a grid worker's links", () => {
  it("end when their grid-worker role in the community is revoked", async () => {
    const worker = await createAccount({ name: "网格员小周" });
    const grantId = await grantRole(worker.id, "grid_worker", { communityId: community });
    const elder = await createManagedPerson(community, "周老太");
    const linked = await call(`/api/persons/${elder}/proxy-links`, {
      cookie: worker.cookie,
      body: { proxyPhone: worker.phone, relationship: "grid_worker", consentMethod: "in_person" },
    });
    expect(linked.status).toBe(201);
    const link = await json<Link>(linked);
    expect((await call(`/api/persons/${elder}`, { cookie: worker.cookie })).status).toBe(200);

    const revoked = await call(`/api/admin/grants/${grantId}/revoke`, { cookie: admin.cookie, body: {} });
    expect(revoked.status).toBe(200);

    const status = await env.DB.prepare("SELECT status FROM proxy_links WHERE id = ?")
      .bind(link.id)
      .first<{ status: string }>();
    expect(status?.status).toBe("revoked");
    expect((await call(`/api/persons/${elder}`, { cookie: worker.cookie })).status).not.toBe(200);
  });

  it("end with the role for a resident who has moved community herself; those where they still serve stay", async () => {
    const worker = await createAccount({ name: "网格员小吴" });
    const other = await createCommunity();
    const grantHere = await grantRole(worker.id, "grid_worker", { communityId: community });
    await grantRole(worker.id, "grid_worker", { communityId: other });
    const link = async (personId: string) => {
      const res = await call(`/api/persons/${personId}/proxy-links`, {
        cookie: worker.cookie,
        body: { proxyPhone: worker.phone, relationship: "grid_worker", consentMethod: "in_person" },
      });
      expect(res.status).toBe(201);
      return (await json<Link>(res)).id;
    };
    // A resident with her own account, linked here, who then moves to a third community herself.
    const resident = await createAccount({ name: "吴秀兰" });
    await env.DB.prepare("UPDATE persons SET community_id = ? WHERE id = ?").bind(community, resident.personId).run();
    const movedLink = await link(resident.personId);
    const elsewhere = await createCommunity();
    await env.DB.prepare("UPDATE persons SET community_id = ? WHERE id = ?").bind(elsewhere, resident.personId).run();
    // An elder in the community where the worker stays a grid worker.
    const stayLink = await link(await createManagedPerson(other, "吴老汉"));

    expect((await call(`/api/admin/grants/${grantHere}/revoke`, { cookie: admin.cookie, body: {} })).status).toBe(200);
    const statusOf = async (id: string) =>
      (await env.DB.prepare("SELECT status FROM proxy_links WHERE id = ?").bind(id).first<{ status: string }>())
        ?.status;
    expect(await statusOf(movedLink)).toBe("revoked");
    expect(await statusOf(stayLink)).toBe("active");
  });

  it("end when the resident moves herself to a community they do not serve, not when she moves within theirs", async () => {
    const worker = await createAccount({ name: "网格员小郑" });
    const other = await createCommunity();
    await grantRole(worker.id, "grid_worker", { communityId: community });
    await grantRole(worker.id, "grid_worker", { communityId: other });
    const resident = await createAccount({ name: "郑秀珍" });
    const moveTo = (communityId: string) =>
      call("/api/me", { method: "PATCH", cookie: resident.cookie, body: { communityId } });
    expect((await moveTo(community)).status).toBe(200);
    const linked = await call(`/api/persons/${resident.personId}/proxy-links`, {
      cookie: worker.cookie,
      body: { proxyPhone: worker.phone, relationship: "grid_worker", consentMethod: "in_person" },
    });
    expect(linked.status).toBe(201);
    const { id } = await json<Link>(linked);
    const statusOf = async () =>
      (await env.DB.prepare("SELECT status FROM proxy_links WHERE id = ?").bind(id).first<{ status: string }>())
        ?.status;
    expect((await moveTo(other)).status).toBe(200);
    expect(await statusOf()).toBe("active");
    expect((await moveTo(await createCommunity())).status).toBe(200);
    expect(await statusOf()).toBe("revoked");
    expect((await call(`/api/persons/${resident.personId}`, { cookie: worker.cookie })).status).not.toBe(200);
  });
});

describe("the audit log records what happened, not what was refused", () => {
  it("a second link for the same proxy is 409 and leaves no audit entry", async () => {
    const elder = await createManagedPerson(community);
    const daughter = await createAccount();
    const body = { proxyPhone: daughter.phone, relationship: "child", consentMethod: "in_person" };
    const first = await call(`/api/persons/${elder}/proxy-links`, { cookie: staff.cookie, body });
    expect(first.status).toBe(201);
    const again = await call(`/api/persons/${elder}/proxy-links`, { cookie: staff.cookie, body });
    expect(again.status).toBe(409);
    const rows = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'proxy_link.create' AND person_id = ?",
    )
      .bind(elder)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("a role already held is 409 and leaves no audit entry", async () => {
    const someone = await createAccount();
    const body = { phone: someone.phone, role: "grid_worker", communityId: community };
    const first = await call("/api/admin/grants", { cookie: admin.cookie, body });
    expect(first.status).toBe(201);
    const { id } = await json<{ id: string }>(first);
    expect(await auditCount("grant.create", id)).toBe(1);
    const again = await call("/api/admin/grants", { cookie: admin.cookie, body });
    expect(again.status).toBe(409);
    const all = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'grant.create' AND json_extract(detail, '$.accountId') = ?",
    )
      .bind(someone.id)
      .first<{ n: number }>();
    expect(all?.n).toBe(1);
  });
});

describe("registering a person", () => {
  it("twice at once with the same ID number: one is registered, the other is 409 — never a 500", async () => {
    const idNumber = randomIdNumber();
    const body = { name: "吴桂英", birthDate: "1945-01-01", communityId: community, idNumber };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call("/api/persons", { cookie: staff.cookie, body })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const rows = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'person.create' AND detail LIKE ?",
    )
      .bind(`%${community}%`)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    // Each of the five told the number is registered is audited, however it was refused.
    const refused = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'person.create_refused' AND detail LIKE ?",
    )
      .bind(`%${community}%`)
      .first<{ n: number }>();
    expect(refused?.n).toBe(5);
  });
});
