import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { newId } from "../../worker/lib/ids";
import {
  call,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOrganisation,
  grantRole,
  json,
  randomPhone,
  type TestAccount,
} from "../factories";

/**
 * Every staff and admin route, tried by every role. Community-scoped roles hold their role in
 * community C; organisation roles in organisation O. "other_*" hold the same role elsewhere.
 */
type Actor =
  | "anonymous"
  | "resident"
  | "volunteer"
  | "org_staff"
  | "org_admin"
  | "other_org_admin"
  | "community_staff"
  | "grid_worker"
  | "other_community_staff"
  | "street_admin";

const ACTORS: Actor[] = [
  "anonymous",
  "resident",
  "volunteer",
  "org_staff",
  "org_admin",
  "other_org_admin",
  "community_staff",
  "grid_worker",
  "other_community_staff",
  "street_admin",
];

let C: string;
let D: string;
let O: string;
let P: string;
const accounts = new Map<Actor, TestAccount | null>();

beforeAll(async () => {
  C = await createCommunity("甲社区");
  D = await createCommunity("乙社区");
  O = await createOrganisation("elderly_centre", C);
  const otherOrg = await createOrganisation("clinic", D);
  P = await createManagedPerson(C);
  const roles: Partial<Record<Actor, [Role, { communityId?: string; organisationId?: string }]>> = {
    volunteer: ["volunteer", {}],
    org_staff: ["org_staff", { organisationId: O }],
    org_admin: ["org_admin", { organisationId: O }],
    other_org_admin: ["org_admin", { organisationId: otherOrg }],
    community_staff: ["community_staff", { communityId: C }],
    grid_worker: ["grid_worker", { communityId: C }],
    other_community_staff: ["community_staff", { communityId: D }],
    street_admin: ["street_admin", {}],
  };
  accounts.set("anonymous", null);
  for (const actor of ACTORS.filter((a) => a !== "anonymous")) {
    const account = await createAccount();
    const role = roles[actor];
    if (role) await grantRole(account.id, role[0], role[1]);
    accounts.set(actor, account);
  }
});

function cookieOf(actor: Actor): string | undefined {
  return accounts.get(actor)?.cookie;
}

interface Case {
  name: string;
  request: () => Promise<{ path: string; method?: string; body?: unknown }>;
  expected: Record<Actor, number>;
}

/** What a street-admin-only read or action answers each actor. */
const STREET_ADMIN_ONLY: Case["expected"] = {
  anonymous: 401,
  resident: 403,
  volunteer: 403,
  org_staff: 403,
  org_admin: 403,
  other_org_admin: 403,
  community_staff: 403,
  grid_worker: 403,
  other_community_staff: 403,
  street_admin: 200,
};

const CASES: Case[] = [
  {
    name: "GET /api/persons (community C)",
    request: async () => ({ path: `/api/persons?communityId=${C}` }),
    expected: {
      anonymous: 401,
      resident: 403,
      volunteer: 403,
      org_staff: 403,
      org_admin: 403,
      other_org_admin: 403,
      community_staff: 200,
      grid_worker: 200,
      other_community_staff: 404,
      street_admin: 200,
    },
  },
  {
    name: "POST /api/persons (community C)",
    request: async () => ({
      path: "/api/persons",
      body: { name: "李淑珍", birthDate: "1938-05-01", gender: "female", communityId: C },
    }),
    expected: {
      anonymous: 401,
      resident: 403,
      volunteer: 403,
      org_staff: 201,
      org_admin: 201,
      other_org_admin: 201,
      community_staff: 201,
      grid_worker: 201,
      other_community_staff: 403,
      street_admin: 201,
    },
  },
  {
    name: "POST /api/persons/{id}/proxy-links (person in C)",
    request: async () => ({
      path: `/api/persons/${P}/proxy-links`,
      body: { proxyPhone: randomPhone(), relationship: "child", consentMethod: "in_person" },
    }),
    expected: {
      anonymous: 401,
      resident: 404,
      volunteer: 404,
      org_staff: 404,
      org_admin: 404,
      other_org_admin: 404,
      community_staff: 201,
      grid_worker: 201,
      other_community_staff: 404,
      street_admin: 201,
    },
  },
  {
    name: "GET /api/admin/grants",
    request: async () => ({ path: "/api/admin/grants" }),
    expected: {
      anonymous: 401,
      resident: 403,
      volunteer: 403,
      org_staff: 403,
      org_admin: 200,
      other_org_admin: 200,
      community_staff: 403,
      grid_worker: 403,
      other_community_staff: 403,
      street_admin: 200,
    },
  },
  {
    name: "GET /api/admin/grants?organisationId=O",
    request: async () => ({ path: `/api/admin/grants?organisationId=${O}` }),
    expected: {
      anonymous: 401,
      resident: 403,
      volunteer: 403,
      org_staff: 403,
      org_admin: 200,
      other_org_admin: 404,
      community_staff: 403,
      grid_worker: 403,
      other_community_staff: 403,
      street_admin: 200,
    },
  },
  {
    name: "POST /api/admin/grants (org_staff of O)",
    request: async () => ({
      path: "/api/admin/grants",
      body: { phone: randomPhone(), role: "org_staff", organisationId: O },
    }),
    expected: {
      anonymous: 401,
      resident: 403,
      volunteer: 403,
      org_staff: 403,
      org_admin: 201,
      other_org_admin: 403,
      community_staff: 403,
      grid_worker: 403,
      other_community_staff: 403,
      street_admin: 201,
    },
  },
  {
    name: "POST /api/admin/grants (community_staff of C)",
    request: async () => ({
      path: "/api/admin/grants",
      body: { phone: randomPhone(), role: "community_staff", communityId: C },
    }),
    expected: { ...STREET_ADMIN_ONLY, street_admin: 201 },
  },
  {
    name: "POST /api/admin/grants/{id}/revoke (org_staff of O)",
    request: async () => {
      const target = await createAccount();
      const grantId = await grantRole(target.id, "org_staff", { organisationId: O });
      return { path: `/api/admin/grants/${grantId}/revoke`, method: "POST" };
    },
    expected: {
      anonymous: 401,
      resident: 403,
      volunteer: 403,
      org_staff: 403,
      org_admin: 200,
      other_org_admin: 404,
      community_staff: 403,
      grid_worker: 403,
      other_community_staff: 403,
      street_admin: 200,
    },
  },
  {
    name: "GET /api/admin/audit",
    request: async () => ({ path: "/api/admin/audit" }),
    expected: STREET_ADMIN_ONLY,
  },
  {
    name: "GET /api/admin/messages",
    request: async () => ({ path: "/api/admin/messages" }),
    expected: STREET_ADMIN_ONLY,
  },
  {
    name: "POST /api/admin/messages/:id/retry",
    request: async () => {
      const id = newId("msg");
      await env.DB.prepare(
        `INSERT INTO outbox (id, channel, recipient, template, body, status, created_at, attempts, error)
         VALUES (?, 'sms', ?, 'test', '【邻里】测试', 'failed', ?, 5, 'provider down')`,
      )
        .bind(id, randomPhone(), Date.now())
        .run();
      return { path: `/api/admin/messages/${id}/retry`, method: "POST" };
    },
    expected: STREET_ADMIN_ONLY,
  },
];

describe.each(CASES)("$name", ({ request, expected }) => {
  it.each(ACTORS)("as %s", async (actor) => {
    const { path, method, body } = await request();
    const res = await call(path, { method: method ?? (body ? "POST" : "GET"), body, cookie: cookieOf(actor) });
    expect(res.status).toBe(expected[actor]);
    if (res.status >= 400) {
      const err = await json<{ error: { code: string; requestId: string } }>(res);
      expect(err.error.code).toMatch(/^[A-Z_]+$/);
      expect(err.error.requestId).toBeTruthy();
    }
  });
});
