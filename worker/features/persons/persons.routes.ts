import { createRoute } from "@hono/zod-openapi";
import { persons, proxyLinks } from "../../../db/schema";
import { auditInsert } from "../../lib/audit";
import {
  canManageCommunity,
  communityScopes,
  isStreetAdmin,
  organisationScopes,
  requireAccount,
  requireStaff,
} from "../../lib/authz";
import { hmac } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { hashKey } from "../../lib/hash-key";
import { rowExists } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { maskNumbers, maskPhone } from "../../lib/phone";
import { hit, secondsLeftInWindow } from "../../lib/rate-limit";
import { deliverSoon, queueSms } from "../../lib/sms";
import { DAY, now } from "../../lib/time";
import { findOrCreateAccount } from "../auth/auth.queries";
import { noticeInserts } from "../notifications/notifications.queries";
import { findCommunity, findCompound } from "../places/places.queries";
import { PERSON_TYPES } from "./person-types";
import {
  changedFields,
  decideRequest,
  findLink,
  findPerson,
  insertLink,
  insertPerson,
  linksForPerson,
  listPersons,
  ownPerson,
  PAGE_SIZE,
  personAccess,
  personByIdHash,
  proxyRequestsOf,
  revokeLinkStatement,
  toPerson,
  toProxyLink,
  updatePersonStatement,
  WHOLE_NUMBER,
} from "./persons.queries";
import {
  IdParam,
  Person,
  PersonCreate,
  PersonList,
  PersonListQuery,
  PersonPatch,
  PersonTypeList,
  ProxyLink,
  ProxyLinkCreate,
  ProxyLinkList,
  ProxyRequestCreate,
  ProxyRequestSent,
  ProxyRequests,
  RevokeBody,
} from "./persons.schema";

/** Requests to act for someone that one account may send per day. */
export const PROXY_REQUESTS_PER_DAY = 10;
/**
 * Searches by a whole phone number one staff account may make a day. A masked number (138****1234)
 * leaves 10,000 candidates; a search answers whether one is registered, so without a limit the
 * list's masking could be undone by trying them all.
 */
export const WHOLE_NUMBER_SEARCHES_PER_DAY = 100;

const listRoute = createRoute({
  method: "get",
  path: "/persons",
  tags: ["persons"],
  summary: "Staff: persons in the communities I serve (phones and ID numbers masked)",
  security: cookieAuth,
  request: { query: PersonListQuery },
  responses: { 200: jsonResponse(PersonList, "Persons"), ...errors(400, 401, 403, 429) },
});

const createPersonRoute = createRoute({
  method: "post",
  path: "/persons",
  tags: ["persons"],
  summary:
    "Community staff or grid workers (their community), organisation staff (walk-ins they book for): register a managed person (e.g. an elder without a phone)",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(PersonCreate) },
  responses: { 201: jsonResponse(Person, "Created"), ...errors(400, 401, 403, 404, 409) },
});

const getRoute = createRoute({
  method: "get",
  path: "/persons/{id}",
  tags: ["persons"],
  summary: "A person I am, act for, or serve as community staff",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(Person, "Person"), ...errors(400, 401, 404) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/persons/{id}",
  tags: ["persons"],
  summary:
    "Community staff or grid workers (the person's community), street admins: correct a person's details and record their person types",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(PersonPatch) },
  responses: { 200: jsonResponse(Person, "Updated"), ...errors(400, 401, 403, 404, 409) },
});

const personTypesRoute = createRoute({
  method: "get",
  path: "/person-types",
  tags: ["persons"],
  summary: "The person types communities record (e.g. 独居老人), with Chinese and English labels",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(PersonTypeList, "Person types") },
});

const personLinksRoute = createRoute({
  method: "get",
  path: "/persons/{id}/proxy-links",
  tags: ["persons"],
  summary: "Who may act for this person (a proxy sees only their own link)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(ProxyLinkList, "Links"), ...errors(400, 401, 404) },
});

const createLinkRoute = createRoute({
  method: "post",
  path: "/persons/{id}/proxy-links",
  tags: ["persons"],
  summary: "Community staff or grid worker: link a proxy account to a person, recording consent",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(ProxyLinkCreate) },
  responses: { 201: jsonResponse(ProxyLink, "Linked"), ...errors(400, 401, 404, 409) },
});

const requestRoute = createRoute({
  method: "post",
  path: "/proxy-requests",
  tags: ["persons"],
  summary: "Ask to act for a family member who has (or will have) an account; they confirm from theirs",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(ProxyRequestCreate) },
  responses: { 201: jsonResponse(ProxyRequestSent, "Request filed"), ...errors(400, 401, 409, 429) },
});

const requestsRoute = createRoute({
  method: "get",
  path: "/proxy-requests",
  tags: ["persons"],
  summary: "Requests waiting for my confirmation, and the ones I sent",
  request: { query: NoQuery },
  security: cookieAuth,
  responses: { 200: jsonResponse(ProxyRequests, "Requests"), ...errors(401) },
});

const confirmRoute = createRoute({
  method: "post",
  path: "/proxy-requests/{id}/confirm",
  tags: ["persons"],
  summary: "Agree that the requester may act for me (records my consent)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(ProxyLink, "Confirmed"), ...errors(400, 401, 404) },
});

const declineRoute = createRoute({
  method: "post",
  path: "/proxy-requests/{id}/decline",
  tags: ["persons"],
  summary: "Decline a request to act for me",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(ProxyLink, "Declined"), ...errors(400, 401, 404) },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/proxy-links/{id}/revoke",
  tags: ["persons"],
  summary: "End a proxy link: by the proxy, by the person, or by community staff",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(RevokeBody) },
  responses: { 200: jsonResponse(ProxyLink, "Revoked"), ...errors(400, 401, 404) },
});

async function mustFindLink(db: Parameters<typeof findLink>[0], id: string) {
  const link = await findLink(db, id);
  if (!link) throw new ApiError("NOT_FOUND", "Request not found");
  return link;
}

export const personsRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const account = await requireStaff(c);
    const { communityId, q, page } = c.req.valid("query");
    let scope: string[] | null;
    if (isStreetAdmin(account)) scope = communityId ? [communityId] : null;
    else {
      const mine = [...communityScopes(account)];
      if (mine.length === 0) throw new ApiError("FORBIDDEN", "Only community staff and grid workers list persons");
      if (communityId && !mine.includes(communityId)) throw new ApiError("NOT_FOUND", "Community not found");
      scope = communityId ? [communityId] : mine;
    }
    const at = now();
    const wholeNumber = q !== undefined && WHOLE_NUMBER.test(q);
    const key = `person_number_search:${account.id}`;
    if (wholeNumber && !(await hit(c.var.db, key, DAY, WHOLE_NUMBER_SEARCHES_PER_DAY, at))) {
      throw new ApiError(
        "RATE_LIMITED",
        `At most ${WHOLE_NUMBER_SEARCHES_PER_DAY} searches by a whole phone number a day; try again in ${Math.ceil(secondsLeftInWindow(DAY, at) / 3600)} h`,
      );
    }
    const { rows, total } = await listPersons(c.var.db, { communityIds: scope, page, ...(q ? { q } : {}) });
    // Who looked through residents' records, for what: a phone number searched is kept masked,
    // like everywhere else (last four digits are all a search by part of a number can be); a whole
    // one also as a keyed hash, so the street admin can tell which number it was when it matters.
    await auditInsert(c, {
      action: "person.search",
      subjectType: "community",
      subjectId: scope ? scope.join(",") : "all",
      detail: {
        q: q ? maskNumbers(q) : null,
        ...(wholeNumber ? { numberHash: await hmac(hashKey(c.env), `phone:${q}`) } : {}),
        page,
        results: total,
      },
    });
    return c.json({ persons: rows.map(toPerson), total, pageSize: PAGE_SIZE }, 200);
  })
  .openapi(createPersonRoute, async (c) => {
    const account = await requireStaff(c);
    const input = c.req.valid("json");
    // Organisation staff register walk-ins and phone callers they book for (audited like any other).
    const managesCommunity = canManageCommunity(account, input.communityId);
    if (!managesCommunity && organisationScopes(account).size === 0) {
      throw new ApiError("FORBIDDEN", "You do not serve this community");
    }
    if (input.types?.length && !managesCommunity) {
      throw new ApiError("FORBIDDEN", "Only staff of the person's community record person types");
    }
    const db = c.var.db;
    if (!(await findCommunity(db, input.communityId))) throw new ApiError("NOT_FOUND", "Community not found");
    if (input.compoundId) {
      const compound = await findCompound(db, input.compoundId);
      if (!compound || compound.communityId !== input.communityId) {
        throw new ApiError("NOT_FOUND", "Compound not found in this community");
      }
    }
    const idNumber = input.idNumber?.toUpperCase() ?? null;
    const idHash = idNumber ? await hmac(hashKey(c.env), `id:${idNumber}`) : null;
    // The answer says an ID number is on the register: who asked, and whose it was, is kept.
    const refuseKnown = async (known: { id: string } | null) => {
      if (known) {
        await auditInsert(c, {
          action: "person.create_refused",
          subjectType: "person",
          subjectId: known.id,
          personId: known.id,
          detail: { reason: "id_number_known", communityId: input.communityId },
        });
      }
      return new ApiError("CONFLICT", "A person with this ID number is already registered");
    };
    const known = idHash ? await personByIdHash(db, idHash) : null;
    if (known) throw await refuseKnown(known);
    const at = now();
    const { id, statement } = await insertPerson(db, {
      name: input.name,
      birthDate: input.birthDate,
      gender: input.gender,
      communityId: input.communityId,
      compoundId: input.compoundId ?? null,
      address: input.address ?? null,
      phone: input.phone ?? null,
      idLast4: idNumber ? idNumber.slice(-4) : null,
      idHash,
      notes: input.notes ?? null,
      types: input.types ?? [],
      createdByAccountId: account.id,
      at,
    });
    const [inserted] = await db.batch([
      statement,
      auditInsert(
        c,
        {
          action: "person.create",
          subjectType: "person",
          subjectId: id,
          personId: id,
          detail: { communityId: input.communityId },
        },
        rowExists(persons, id),
      ),
    ]);
    // Registered by another request in between (the unique index refused this one).
    if (inserted.length === 0) throw await refuseKnown(idHash ? await personByIdHash(db, idHash) : null);
    const created = await findPerson(db, id);
    if (!created) throw new ApiError("INTERNAL_ERROR", "Person was not saved");
    return c.json(toPerson(created), 201);
  })
  .openapi(getRoute, async (c) => {
    const account = await requireAccount(c);
    const person = await findPerson(c.var.db, c.req.valid("param").id);
    const access = person ? await personAccess(c.var.db, account, person) : null;
    if (!person || !access) throw new ApiError("NOT_FOUND", "Person not found");
    if (access === "staff") {
      await auditInsert(c, { action: "person.view", subjectType: "person", subjectId: person.id, personId: person.id });
    }
    return c.json(toPerson(person), 200);
  })
  .openapi(patchRoute, async (c) => {
    const account = await requireStaff(c);
    const db = c.var.db;
    const person = await findPerson(db, c.req.valid("param").id);
    if (!person || !canManageCommunity(account, person.communityId))
      throw new ApiError("NOT_FOUND", "Person not found");
    const patch = c.req.valid("json");
    if (patch.compoundId) {
      const compound = await findCompound(db, patch.compoundId);
      if (!compound || compound.communityId !== person.communityId) {
        throw new ApiError("NOT_FOUND", "Compound not found in this community");
      }
    }
    // Registered with an ID number, the person's birth date is the one it carries (checked then;
    // only its hash is kept, so a new date could not be checked now): it decides age rules.
    if (patch.birthDate !== undefined && patch.birthDate !== person.birthDate && person.idHash !== null) {
      throw new ApiError("CONFLICT", "The birth date is the one in the ID number on record and cannot be changed");
    }
    if (patch.phone !== undefined && patch.phone !== person.phone && person.accountId !== null) {
      throw new ApiError("CONFLICT", "This person signs in with this number; only they can change it");
    }
    // Field names only: the audit log must not become a second copy of phone numbers.
    const fields = changedFields(person, patch);
    if (fields.length > 0) {
      await db.batch([
        updatePersonStatement(db, person.id, patch, now()),
        auditInsert(c, {
          action: "person.update",
          subjectType: "person",
          subjectId: person.id,
          personId: person.id,
          detail: { fields },
        }),
      ]);
    }
    const updated = await findPerson(db, person.id);
    if (!updated) throw new ApiError("INTERNAL_ERROR", "Person vanished");
    return c.json(toPerson(updated), 200);
  })
  .openapi(personTypesRoute, (c) => c.json({ types: [...PERSON_TYPES] }, 200))
  .openapi(personLinksRoute, async (c) => {
    const account = await requireAccount(c);
    const person = await findPerson(c.var.db, c.req.valid("param").id);
    const access = person ? await personAccess(c.var.db, account, person) : null;
    if (!person || !access) throw new ApiError("NOT_FOUND", "Person not found");
    const links = await linksForPerson(c.var.db, person.id);
    if (access === "staff") {
      await auditInsert(c, {
        action: "proxy_link.list",
        subjectType: "person",
        subjectId: person.id,
        personId: person.id,
      });
    }
    const visible = access === "proxy" ? links.filter((l) => l.proxyAccountId === account.id) : links;
    return c.json({ links: visible.map((l) => toProxyLink(l)) }, 200);
  })
  .openapi(createLinkRoute, async (c) => {
    const account = await requireAccount(c);
    const db = c.var.db;
    const person = await findPerson(db, c.req.valid("param").id);
    if (!person || !canManageCommunity(account, person.communityId))
      throw new ApiError("NOT_FOUND", "Person not found");
    const input = c.req.valid("json");
    const at = now();
    const proxy = await findOrCreateAccount(db, input.proxyPhone, at);
    if (proxy.id === person.accountId) throw new ApiError("CONFLICT", "A person cannot be their own proxy");
    const { id, statement } = insertLink(db, {
      proxyAccountId: proxy.id,
      personId: person.id,
      relationship: input.relationship,
      scope: input.scope,
      status: "active",
      requestedByAccountId: account.id,
      consentMethod: input.consentMethod,
      consentRecordedByAccountId: account.id,
      consentNote: input.consentNote ?? null,
      at,
    });
    // Everything below happens only if the link was made (a pending request or an existing link
    // makes the insert a no-op), and in the same transaction: the record, the notice and the texts.
    const made = rowExists(proxyLinks, id);
    const masked = maskPhone(input.proxyPhone) ?? "";
    const [inserted] = await db.batch([
      statement,
      auditInsert(
        c,
        {
          action: "proxy_link.create",
          subjectType: "proxy_link",
          subjectId: id,
          personId: person.id,
          detail: { consentMethod: input.consentMethod, scope: input.scope, relationship: input.relationship },
        },
        made,
      ),
      // Consent was recorded at the office, not in the app: the person hears of it where they
      // can end it, in case it was not theirs to give (their proxies are listed on "我的").
      ...noticeInserts(
        db,
        [
          {
            to: [person.accountId],
            notice: {
              kind: "proxy_linked_for_you",
              title: "已登记代办人",
              body: `社区已登记手机号${masked}的用户可以代您办理预约等服务。如果您没有同意，请在“我的”页面撤销，或联系社区居委会。`,
              link: "/me",
              sms: true,
              params: { proxy: masked },
            },
          },
        ],
        at,
        made,
      ),
      queueSms(
        db,
        {
          to: input.proxyPhone,
          template: "proxy_linked",
          body: `【邻里】社区已登记您可以代 ${person.name} 办理预约等服务。如有疑问请联系社区居委会。`,
          params: { person: person.name },
        },
        at,
        made,
      ),
    ]);
    if (inserted.length === 0) {
      throw new ApiError("CONFLICT", "This account is already linked to this person, or a request is pending");
    }
    deliverSoon(c);
    const link = await mustFindLink(db, id);
    return c.json(toProxyLink(link), 201);
  })
  .openapi(requestRoute, async (c) => {
    const account = await requireAccount(c);
    const db = c.var.db;
    const input = c.req.valid("json");
    if (input.phone === account.phone) throw new ApiError("CONFLICT", "That is your own number");
    const at = now();
    // Each request texts the number asked: keep it from becoming a way to send SMS to strangers.
    if (!(await hit(db, `proxy_request:${account.id}`, DAY, PROXY_REQUESTS_PER_DAY, at))) {
      throw new ApiError("RATE_LIMITED", "Too many requests today; try again tomorrow", {
        "Retry-After": String(secondsLeftInWindow(DAY, at)),
      });
    }
    const target = await findOrCreateAccount(db, input.phone, at);
    const person = await ownPerson(db, target.id);
    if (!person) throw new ApiError("INTERNAL_ERROR", "Account has no person");
    const { id, statement } = insertLink(db, {
      proxyAccountId: account.id,
      personId: person.id,
      relationship: input.relationship,
      scope: input.scope,
      status: "pending",
      requestedByAccountId: account.id,
      consentMethod: null,
      consentRecordedByAccountId: null,
      consentNote: null,
      at,
    });
    // Sent under the platform's name to a number the requester typed: no text the requester
    // chose (their display name could be anything) — the masked number they registered with. The
    // person sees who asked, by name, when they sign in to decide. Queued only if the request was made.
    const requester = maskPhone(account.phone) ?? "";
    const [inserted] = await db.batch([
      statement,
      queueSms(
        db,
        {
          to: input.phone,
          template: "proxy_request",
          body: `【邻里】手机号${requester}的用户请求代您在邻里平台办理预约等服务。登录邻里，在“我的”页面查看、同意或拒绝。`,
          params: { phone: requester },
        },
        at,
        rowExists(proxyLinks, id),
      ),
    ]);
    if (inserted.length === 0) throw new ApiError("CONFLICT", "You already act for this person or have asked to");
    deliverSoon(c);
    const link = await mustFindLink(db, id);
    return c.json({ request: toProxyLink(link, true) }, 201);
  })
  .openapi(requestsRoute, async (c) => {
    const account = await requireAccount(c);
    const { incoming, outgoing } = await proxyRequestsOf(c.var.db, account.id);
    return c.json(
      {
        incoming: incoming.map((l) => toProxyLink(l)),
        outgoing: outgoing.map((l) => toProxyLink(l, l.status !== "active")),
      },
      200,
    );
  })
  .openapi(confirmRoute, async (c) => {
    const account = await requireAccount(c);
    const { id } = c.req.valid("param");
    if (!(await decideRequest(c.var.db, id, account.id, true, now())))
      throw new ApiError("NOT_FOUND", "Request not found");
    return c.json(toProxyLink(await mustFindLink(c.var.db, id)), 200);
  })
  .openapi(declineRoute, async (c) => {
    const account = await requireAccount(c);
    const { id } = c.req.valid("param");
    if (!(await decideRequest(c.var.db, id, account.id, false, now())))
      throw new ApiError("NOT_FOUND", "Request not found");
    return c.json(toProxyLink(await mustFindLink(c.var.db, id)), 200);
  })
  .openapi(revokeRoute, async (c) => {
    const account = await requireAccount(c);
    const db = c.var.db;
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const link = await findLink(db, id);
    if (!link) throw new ApiError("NOT_FOUND", "Link not found");
    const person = await findPerson(db, link.personId);
    const isProxy = link.proxyAccountId === account.id;
    const isPerson = person?.accountId === account.id;
    const isStaff = !!person && canManageCommunity(account, person.communityId);
    if (!isProxy && !isPerson && !isStaff) throw new ApiError("NOT_FOUND", "Link not found");
    if (link.status !== "pending" && link.status !== "active")
      throw new ApiError("CONFLICT", "This link has already ended");
    const revoke = revokeLinkStatement(db, id, account.id, reason ?? null, now());
    const [revoked] =
      isProxy || isPerson
        ? [await revoke]
        : await db.batch([
            revoke,
            auditInsert(c, {
              action: "proxy_link.revoke",
              subjectType: "proxy_link",
              subjectId: id,
              personId: link.personId,
              detail: { reason: reason ?? null },
            }),
          ]);
    if (revoked.length === 0) throw new ApiError("CONFLICT", "This link has already ended");
    // The proxy sees the person's name only while the person has let them act (as in their list
    // of requests): withdrawing a request must not tell them whose number they typed.
    return c.json(toProxyLink(await mustFindLink(db, id), isProxy), 200);
  });
