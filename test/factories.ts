import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { createDb } from "../db";
import type { OrganisationType } from "../db/schema";
import {
  accounts,
  communities,
  compounds,
  facilities,
  organisations,
  persons,
  proxyLinks,
  type Role,
  roleGrants,
} from "../db/schema";
import { createSession, findOrCreateAccount } from "../worker/features/auth/auth.queries";
import { runBatch, type Statement } from "../worker/lib/batch";
import { randomToken, sha256 } from "../worker/lib/crypto";
import { newId } from "../worker/lib/ids";
import { DAY, now } from "../worker/lib/time";

import { randomIdNumber } from "./id-numbers";

export { randomIdNumber };

export const db = () => createDb(env.DB);

const ORIGIN = "http://localhost";

/** A fresh mainland mobile number no other test uses. */
export function randomPhone(): string {
  const digits = crypto.getRandomValues(new Uint32Array(2));
  return `139${String((digits[0] ?? 0) % 10_000).padStart(4, "0")}${String((digits[1] ?? 0) % 10_000).padStart(4, "0")}`;
}

/** A random address, so per-IP limits of one test do not spill into another. */
export function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  cookie?: string;
  headers?: Record<string, string>;
}

/**
 * Calls the real Worker (middleware, routes, D1) the way a browser on this site would.
 *
 * @example
 * const res = await call("/api/me", { cookie: user.cookie });
 */
export function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": "10.0.0.1", ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method: options.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export interface TestAccount {
  id: string;
  phone: string;
  personId: string;
  cookie: string;
}

/** An account with its own person and a live session, made without the login flow. */
export async function createAccount(options: { name?: string; phone?: string } = {}): Promise<TestAccount> {
  const d = db();
  const phone = options.phone ?? randomPhone();
  const at = now();
  const { id } = await findOrCreateAccount(d, phone, at);
  const token = randomToken();
  await createSession(d, { accountId: id, tokenHash: await sha256(token), at, userAgent: "vitest" });
  const name = options.name ?? `居民${phone.slice(-4)}`;
  const [person] = await d.update(persons).set({ name }).where(eq(persons.accountId, id)).returning({ id: persons.id });
  if (!person) throw new Error("account without person");
  return { id, phone, personId: person.id, cookie: `linli_session=${token}` };
}

export async function createCommunity(name = "测试社区") {
  const id = newId("com");
  await db()
    .insert(communities)
    .values({
      id,
      code: id,
      name: `${name}${id.slice(-4)}`,
      nameEn: "Test Community",
      lat: 39.2,
      lng: 117.3,
      createdAt: now(),
    });
  return id;
}

export async function createCompound(communityId: string) {
  const id = newId("cpd");
  await db()
    .insert(compounds)
    .values({
      id,
      communityId,
      name: `小区${id.slice(-4)}`,
      lat: 39.2,
      lng: 117.3,
      households: 500,
      residents: 1300,
      createdAt: now(),
    });
  return id;
}

export async function createOrganisation(type: OrganisationType, communityId: string | null = null) {
  const id = newId("org");
  await db()
    .insert(organisations)
    .values({ id, type, name: `机构${id}`, communityId, createdAt: now() });
  return id;
}

/** Grants `role` to an account in the scope the role takes. */
export async function grantRole(
  accountId: string,
  role: Role,
  scope: { communityId?: string; organisationId?: string } = {},
) {
  const scopeType = scope.organisationId ? "organisation" : scope.communityId ? "community" : "street";
  const scopeKey =
    scopeType === "organisation"
      ? `organisation:${scope.organisationId}`
      : scopeType === "community"
        ? `community:${scope.communityId}`
        : "street";
  const id = newId("grt");
  await db()
    .insert(roleGrants)
    .values({
      id,
      accountId,
      role,
      scopeType,
      scopeKey,
      communityId: scope.communityId ?? null,
      organisationId: scope.organisationId ?? null,
      createdAt: now(),
    });
  return id;
}

/** A person without an account, as community staff register elders who have no phone. */
export async function createManagedPerson(communityId: string, name = "张桂兰") {
  const id = newId("per");
  const at = now();
  await db()
    .insert(persons)
    .values({ id, name, birthDate: "1941-03-02", communityId, createdAt: at, updatedAt: at, phone: randomPhone() });
  return id;
}

/** An active proxy link with an in-person consent record. */
export async function linkProxy(
  proxyAccountId: string,
  personId: string,
  recordedBy: string,
  scope: (typeof proxyLinks.$inferInsert)["scope"] = "all",
) {
  const id = newId("pxl");
  const at = now();
  await db().insert(proxyLinks).values({
    id,
    proxyAccountId,
    personId,
    relationship: "child",
    scope,
    status: "active",
    requestedByAccountId: recordedBy,
    consentMethod: "in_person",
    consentRecordedByAccountId: recordedBy,
    consentRecordedAt: at,
    createdAt: at,
  });
  return id;
}

/** The newest SMS body sent to `phone`, read through the dev outbox endpoint. */
/** A notice as `GET /api/notifications` lists it. */
export interface InboxNotice {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  params: Record<string, unknown> | null;
  readAt: number | null;
}

/** The account's inbox, newest first (`GET /api/notifications`). */
export async function inboxOf(who: { cookie: string }): Promise<InboxNotice[]> {
  const res = await call("/api/notifications", { cookie: who.cookie });
  if (res.status !== 200) throw new Error(`inbox answered ${res.status}`);
  return (await json<{ notifications: InboxNotice[] }>(res)).notifications;
}

export async function lastSms(phone: string): Promise<string> {
  const res = await call(`/api/dev/outbox?phone=${phone}`);
  const body = await json<{ messages: Array<{ body: string }> }>(res);
  const first = body.messages[0];
  if (!first) throw new Error(`no SMS for ${phone}`);
  return first.body;
}

export function codeFrom(sms: string): string {
  const match = /\b(\d{6})\b/.exec(sms);
  if (!match?.[1]) throw new Error(`no code in "${sms}"`);
  return match[1];
}

/** A point `north` and `east` metres from `origin` (a local flat offset: exact along a meridian). */
export function offsetPoint(origin: { lat: number; lng: number }, north: number, east: number) {
  const metresPerDegree = (6_371_008.8 * Math.PI) / 180;
  return {
    lat: origin.lat + north / metresPerDegree,
    lng: origin.lng + east / (metresPerDegree * Math.cos((origin.lat * Math.PI) / 180)),
  };
}

/** A community whose office stands at `point`. */
export async function createCommunityAt(point: { lat: number; lng: number }, name = "测试社区") {
  const id = await createCommunity(name);
  await db().update(communities).set({ lat: point.lat, lng: point.lng }).where(eq(communities.id, id));
  return id;
}

/** A compound at `point`, with as many residents as a test needs to rank it. */
export async function createCompoundAt(
  communityId: string,
  point: { lat: number; lng: number },
  options: { residents?: number; households?: number } = {},
) {
  const id = await createCompound(communityId);
  await db()
    .update(compounds)
    .set({
      lat: point.lat,
      lng: point.lng,
      residents: options.residents ?? 1300,
      households: options.households ?? 500,
    })
    .where(eq(compounds.id, id));
  return id;
}

/** A facility written straight to D1 (no walking network update, no audit), closed at all hours unless told. */
export async function createFacility(options: {
  kind: string;
  lat: number;
  lng: number;
  name?: string;
  communityId?: string | null;
  openingHours?: { weekly: Partial<Record<string, Array<[string, string]>>>; exceptions: [] };
}) {
  const id = newId("fac");
  const at = now();
  await db()
    .insert(facilities)
    .values({
      id,
      kind: options.kind,
      name: options.name ?? `设施${id.slice(-6)}`,
      lat: options.lat,
      lng: options.lng,
      communityId: options.communityId ?? null,
      services: [],
      openingHours: options.openingHours ?? { weekly: {}, exceptions: [] },
      createdAt: at,
      updatedAt: at,
    });
  return id;
}

/**
 * GeoJSON footpaths: two streets `width` m apart on either side of a river (south bank through
 * `base`), with vertices every 200 m from 1000 m west to 200 m east, and ONE bridge `bridgeEast` m east of `base`.
 */
export function riverFootpaths(base: { lat: number; lng: number }, bridgeEast = -400, width = 120) {
  const at = (east: number, north: number) => {
    const p = offsetPoint(base, north, east);
    return [p.lng, p.lat];
  };
  const xs = [...new Set([-1000, -800, -600, -400, -200, 0, 200, bridgeEast])].sort((a, b) => a - b);
  const street = (coordinates: number[][]) => ({
    type: "Feature",
    properties: {},
    geometry: { type: "LineString", coordinates },
  });
  return {
    type: "FeatureCollection",
    features: [
      street(xs.map((x) => at(x, 0))),
      street(xs.map((x) => at(x, width))),
      street([at(bridgeEast, 0), at(bridgeEast, width)]),
    ],
  };
}

/** An organisation and an account holding `org_staff` in it. */
export async function createOrgStaff(type: OrganisationType = "elderly_centre", communityId: string | null = null) {
  const organisationId = await createOrganisation(type, communityId);
  const staff = await createAccount({ name: "机构职员" });
  await grantRole(staff.id, "org_staff", { organisationId });
  return { organisationId, staff };
}

/** Publishes an offering through the API as `staff`; `fields` override the defaults (care, waitlist on). */
export async function createOffering(
  staff: TestAccount,
  organisationId: string,
  fields: Record<string, unknown> = {},
): Promise<string> {
  const res = await call("/api/offerings", {
    cookie: staff.cookie,
    body: { organisationId, kind: "care", title: "日间照料", ...fields },
  });
  if (res.status !== 201) throw new Error(`offering not created: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

/** Adds one slot through the API; it lasts an hour unless `endsAt` is given. */
export async function createSlot(
  staff: TestAccount,
  offeringId: string,
  slot: { startsAt: number; endsAt?: number; capacity: number },
): Promise<string> {
  const res = await call(`/api/offerings/${offeringId}/slots`, {
    cookie: staff.cookie,
    body: { startsAt: slot.startsAt, endsAt: slot.endsAt ?? slot.startsAt + 3_600_000, capacity: slot.capacity },
  });
  if (res.status !== 201) throw new Error(`slot not created: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

/** A slot tomorrow on a new organisation's care offering (`fields` override the offering's defaults). */
export async function createBookableSlot(capacity = 5, fields: Record<string, unknown> = {}) {
  const { organisationId, staff } = await createOrgStaff();
  const offeringId = await createOffering(staff, organisationId, fields);
  return createSlot(staff, offeringId, { startsAt: Date.now() + DAY, capacity });
}

/** How many bookings a slot has, in any status, read straight from D1. */
export async function bookingsOnSlot(slotId: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM bookings WHERE slot_id = ?")
    .bind(slotId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Books a slot through the API.
 *
 * @example
 * const res = await book(user, { slotId, personId: user.personId }, "retry-key-1");
 */
export function book(
  actor: TestAccount,
  body: { slotId: string; personId: string; notes?: string; address?: string; channel?: string },
  idempotencyKey?: string,
): Promise<Response> {
  return call("/api/bookings", {
    cookie: actor.cookie,
    body,
    headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {},
  });
}

/** The birth date (YYYY-MM-DD) of someone who turns `age` on the Shanghai date of `on` (epoch ms). */
export function birthDateForAge(age: number, on: number = Date.now()): string {
  const d = new Date(on + 8 * 3_600_000);
  d.setUTCFullYear(d.getUTCFullYear() - age);
  return d.toISOString().slice(0, 10);
}

/** Sets facts of a person (birth date, community) straight in D1. */
export async function updatePerson(
  personId: string,
  fields: { birthDate?: string | null; communityId?: string | null },
) {
  await db().update(persons).set(fields).where(eq(persons.id, personId));
}

/** `n` accounts with their own persons written in one D1 batch, each with a live session: for load tests. */
export async function createAccounts(n: number): Promise<TestAccount[]> {
  const d = db();
  const at = now();
  const phones = new Set<string>();
  while (phones.size < n) phones.add(randomPhone());
  const rows = [...phones].map((phone) => ({ id: newId("acc"), personId: newId("per"), phone }));
  const statements: Statement[] = [];
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < rows.length; i += 10) {
    const chunk = rows.slice(i, i + 10);
    statements.push(d.insert(accounts).values(chunk.map((r) => ({ id: r.id, phone: r.phone, createdAt: at }))));
    statements.push(
      d.insert(persons).values(
        chunk.map((r) => ({
          id: r.personId,
          accountId: r.id,
          name: `居民${r.phone.slice(-4)}`,
          phone: r.phone,
          createdAt: at,
          updatedAt: at,
        })),
      ),
    );
  }
  await runBatch(d, statements);
  return Promise.all(
    rows.map(async (r) => {
      const token = randomToken();
      await createSession(d, { accountId: r.id, tokenHash: await sha256(token), at, userAgent: "vitest" });
      return { id: r.id, phone: r.phone, personId: r.personId, cookie: `linli_session=${token}` };
    }),
  );
}

/** Records person types straight in D1, as community staff would through `PATCH /api/persons/{id}`. */
export async function setPersonTypes(personId: string, types: NonNullable<(typeof persons.$inferInsert)["types"]>) {
  await db().update(persons).set({ types }).where(eq(persons.id, personId));
}

/** An account holding a community-scoped role (community staff by default) in `communityId`. */
export async function createCommunityStaff(
  communityId: string,
  role: "community_staff" | "grid_worker" = "community_staff",
): Promise<TestAccount> {
  const account = await createAccount({ name: "社区工作者" });
  await grantRole(account.id, role, { communityId });
  return account;
}

/**
 * A registered volunteer made through the API (applied, approved by community staff of
 * `communityId`): the account and its registration's id and number.
 */
export async function createVolunteer(
  communityId: string,
  options: { name?: string; approver?: TestAccount } = {},
): Promise<TestAccount & { volunteerId: string; number: string }> {
  const account = await createAccount({ name: options.name ?? "志愿者" });
  const applied = await call("/api/volunteers/me", {
    cookie: account.cookie,
    body: {
      realName: options.name ?? "王志愿",
      idNumber: randomIdNumber("19900101"),
      communityId,
      emergencyName: "王母",
      emergencyPhone: "13912345678",
      emergencyRelationship: "parent",
      agreeToCode: true,
    },
  });
  if (applied.status !== 201) throw new Error(`apply answered ${applied.status}: ${await applied.text()}`);
  const { volunteer } = await json<{ volunteer: { id: string } }>(applied);
  const approver = options.approver ?? (await createCommunityStaff(communityId));
  const approved = await call(`/api/staff/volunteers/${volunteer.id}/approve`, { cookie: approver.cookie, body: {} });
  if (approved.status !== 200) throw new Error(`approve answered ${approved.status}: ${await approved.text()}`);
  const { number } = await json<{ number: string }>(approved);
  return { ...account, volunteerId: volunteer.id, number };
}

/**
 * Puts a registered volunteer in a team the way the site does: they ask to join, the team's
 * organisation staff (`staff`) accept — and, for `leader`, make them a leader. The membership's id.
 */
export async function joinTeam(
  teamId: string,
  volunteer: TestAccount,
  staff: TestAccount,
  role: "member" | "leader" = "member",
): Promise<string> {
  const asked = await call(`/api/volunteer-teams/${teamId}/join`, { cookie: volunteer.cookie, method: "POST" });
  if (asked.status !== 201) throw new Error(`join answered ${asked.status}: ${await asked.text()}`);
  const { myMembership } = await json<{ myMembership: { id: string } }>(asked);
  const base = `/api/volunteer-teams/${teamId}/members/${myMembership.id}`;
  const accepted = await call(`${base}/decision`, { cookie: staff.cookie, body: { decision: "approve" } });
  if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${await accepted.text()}`);
  if (role === "leader") {
    const made = await call(`${base}/role`, { cookie: staff.cookie, body: { role: "leader" } });
    if (made.status !== 200) throw new Error(`role answered ${made.status}: ${await made.text()}`);
  }
  return myMembership.id;
}
