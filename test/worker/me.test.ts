import { describe, expect, it } from "vitest";
import {
  call,
  createAccount,
  createCommunity,
  createCompound,
  createOrganisation,
  grantRole,
  json,
} from "../factories";

type Me = {
  account: {
    birthDate: string | null;
    displayName: string | null;
    communityId: string | null;
    compoundId: string | null;
    locale: string;
    elderMode: boolean;
  };
  roles: Array<{ role: string; scopeName: string | null }>;
  isStaff: boolean;
  persons: Array<{ id: string; name: string; relationship: string; birthDate: string | null }>;
};

describe("GET /api/me", () => {
  it("needs a session", async () => {
    const res = await call("/api/me");
    expect(res.status).toBe(401);
  });

  it("lists roles with the name of their scope", async () => {
    const account = await createAccount();
    const community = await createCommunity("德翔里社区");
    const org = await createOrganisation("clinic", community);
    await grantRole(account.id, "grid_worker", { communityId: community });
    await grantRole(account.id, "org_staff", { organisationId: org });
    const me = await json<Me>(await call("/api/me", { cookie: account.cookie }));
    expect(me.isStaff).toBe(true);
    expect(me.roles.map((r) => r.role).sort()).toEqual(["grid_worker", "org_staff"]);
    expect(me.roles.find((r) => r.role === "grid_worker")?.scopeName).toMatch(/^德翔里社区/);
  });

  it("a plain resident is not staff", async () => {
    const account = await createAccount();
    const me = await json<Me>(await call("/api/me", { cookie: account.cookie }));
    expect(me.isStaff).toBe(false);
    expect(me.roles).toEqual([]);
  });
});

describe("PATCH /api/me", () => {
  it("saves name, community, compound, language and elder mode; the name is also my person's", async () => {
    const account = await createAccount();
    const community = await createCommunity();
    const compound = await createCompound(community);
    const res = await call("/api/me", {
      method: "PATCH",
      cookie: account.cookie,
      body: {
        displayName: "王秀英",
        communityId: community,
        compoundId: compound,
        locale: "en",
        elderMode: true,
        birthDate: "1944-05-06",
      },
    });
    expect(res.status).toBe(200);
    const me = await json<Me>(res);
    expect(me.account).toMatchObject({
      displayName: "王秀英",
      communityId: community,
      compoundId: compound,
      locale: "en",
      elderMode: true,
    });
    expect(me.persons[0]).toMatchObject({ name: "王秀英", relationship: "self", birthDate: "1944-05-06" });
    expect(me.account.birthDate).toBe("1944-05-06");
  });

  it("clears the compound when the community changes", async () => {
    const account = await createAccount();
    const a = await createCommunity();
    const compound = await createCompound(a);
    await call("/api/me", { method: "PATCH", cookie: account.cookie, body: { communityId: a, compoundId: compound } });
    const b = await createCommunity();
    const me = await json<Me>(
      await call("/api/me", { method: "PATCH", cookie: account.cookie, body: { communityId: b } }),
    );
    expect(me.account).toMatchObject({ communityId: b, compoundId: null });
  });

  it("refuses a compound outside my community, unknown communities and bad values", async () => {
    const account = await createAccount();
    const a = await createCommunity();
    const other = await createCompound(await createCommunity());
    const wrong = await call("/api/me", {
      method: "PATCH",
      cookie: account.cookie,
      body: { communityId: a, compoundId: other },
    });
    expect(wrong.status).toBe(404);
    const unknown = await call("/api/me", {
      method: "PATCH",
      cookie: account.cookie,
      body: { communityId: "com_nope" },
    });
    expect(unknown.status).toBe(404);
    for (const body of [
      { locale: "fr" },
      { elderMode: "yes" },
      { displayName: "" },
      { phone: "13800138000" },
      { birthDate: "2999-01-01" },
      { birthDate: "1944-02-30" },
      {},
    ]) {
      const res = await call("/api/me", { method: "PATCH", cookie: account.cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe("places", () => {
  it("lists communities, their compounds and organisations without signing in", async () => {
    const community = await createCommunity();
    const compound = await createCompound(community);
    await createOrganisation("day_care_centre", community);
    const list = await json<{ communities: Array<{ id: string; compoundCount: number }> }>(
      await call("/api/communities"),
    );
    expect(list.communities.find((c) => c.id === community)?.compoundCount).toBe(1);
    const compounds = await json<{ compounds: Array<{ id: string }> }>(
      await call(`/api/communities/${community}/compounds`),
    );
    expect(compounds.compounds.map((c) => c.id)).toEqual([compound]);
    const orgs = await json<{ organisations: Array<{ type: string }> }>(
      await call(`/api/organisations?type=day_care_centre&communityId=${community}`),
    );
    expect(orgs.organisations.map((o) => o.type)).toEqual(["day_care_centre"]);
  });

  it("answers 404 for an unknown community and 400 for an unknown organisation type", async () => {
    expect((await call("/api/communities/com_nope/compounds")).status).toBe(404);
    expect((await call("/api/organisations?type=bank")).status).toBe(400);
  });
});
