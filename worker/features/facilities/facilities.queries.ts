import { and, asc, count, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { compounds, facilities, organisations, walkDistances, walkMembers, walkNetworks } from "../../../db/schema";
import type { Statement } from "../../lib/batch";
import { newId } from "../../lib/ids";
import type { Facility, FacilityInput } from "./facilities.schema";
import type { FacilityKindCode } from "./kinds";
import { hasHours, isOpenAt } from "./opening-hours";
import type { Member, WalkGraph } from "./walk-network";
import type { NetworkView } from "./walking";

export const PAGE_SIZE = 50;

type FacilityRow = typeof facilities.$inferSelect;

const withOrganisation = {
  facility: facilities,
  organisationName: organisations.name,
};

export function toFacility(row: FacilityRow, organisationName: string | null, at: number): Facility {
  return {
    id: row.id,
    kind: row.kind as FacilityKindCode,
    name: row.name,
    lat: row.lat,
    lng: row.lng,
    address: row.address,
    phone: row.phone,
    communityId: row.communityId,
    organisationId: row.organisationId,
    organisationName,
    services: row.services,
    accessibility: { stepFree: row.stepFree, lift: row.lift, accessibleToilet: row.accessibleToilet },
    openingHours: row.openingHours,
    openNow: hasHours(row.openingHours) ? isOpenAt(row.openingHours, at) : null,
    notes: row.notes,
    updatedAt: row.updatedAt,
  };
}

function selectFacilities(db: Db, where: SQL | undefined) {
  return db
    .select(withOrganisation)
    .from(facilities)
    .leftJoin(organisations, eq(organisations.id, facilities.organisationId))
    .where(where);
}

export async function findFacility(db: Db, id: string) {
  const [row] = await selectFacilities(db, eq(facilities.id, id)).limit(1);
  return row ?? null;
}

export async function listFacilities(
  db: Db,
  filter: { communityId?: string; kind?: string; q?: string; page: number },
) {
  const where: SQL[] = [];
  if (filter.communityId) where.push(eq(facilities.communityId, filter.communityId));
  if (filter.kind) where.push(eq(facilities.kind, filter.kind));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    where.push(
      sql`(${facilities.name} LIKE ${pattern} ESCAPE '\\' OR ${facilities.address} LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  const condition = where.length ? and(...where) : undefined;
  const [rows, totals] = await Promise.all([
    selectFacilities(db, condition)
      .orderBy(asc(facilities.kind), asc(facilities.name))
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(facilities).where(condition),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/** Facilities inside a lat/lng box, optionally of some kinds. */
export async function facilitiesInBox(
  db: Db,
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
  kinds?: readonly string[],
) {
  const where = [
    gte(facilities.lat, box.minLat),
    lte(facilities.lat, box.maxLat),
    gte(facilities.lng, box.minLng),
    lte(facilities.lng, box.maxLng),
  ];
  if (kinds?.length) where.push(inArray(facilities.kind, [...kinds]));
  return selectFacilities(db, and(...where));
}

/** Location and kind of every facility of the given kinds (for coverage). */
export async function facilityPoints(db: Db, kinds: readonly string[]) {
  return db
    .select({
      id: facilities.id,
      kind: facilities.kind,
      name: facilities.name,
      lat: facilities.lat,
      lng: facilities.lng,
    })
    .from(facilities)
    .where(inArray(facilities.kind, [...kinds]));
}

export function facilityValues(input: FacilityInput) {
  return {
    kind: input.kind,
    name: input.name,
    lat: input.lat,
    lng: input.lng,
    address: input.address,
    phone: input.phone,
    communityId: input.communityId,
    organisationId: input.organisationId,
    services: input.services,
    stepFree: input.accessibility.stepFree,
    lift: input.accessibility.lift,
    accessibleToilet: input.accessibility.accessibleToilet,
    openingHours: input.openingHours,
    notes: input.notes,
  };
}

export function insertFacility(db: Db, input: FacilityInput, actorId: string, at: number, id = newId("fac")) {
  return {
    id,
    statement: db
      .insert(facilities)
      .values({ id, ...facilityValues(input), createdAt: at, updatedAt: at, updatedByAccountId: actorId }),
  };
}

export function updateFacility(db: Db, id: string, input: FacilityInput, actorId: string, at: number) {
  return db
    .update(facilities)
    .set({ ...facilityValues(input), updatedAt: at, updatedByAccountId: actorId })
    .where(eq(facilities.id, id));
}

/** Rows of a facility as the input shape, for merging a partial update. */
export function toInput(row: FacilityRow): FacilityInput {
  return {
    kind: row.kind as FacilityKindCode,
    name: row.name,
    lat: row.lat,
    lng: row.lng,
    address: row.address,
    phone: row.phone,
    communityId: row.communityId,
    organisationId: row.organisationId,
    services: row.services,
    accessibility: { stepFree: row.stepFree, lift: row.lift, accessibleToilet: row.accessibleToilet },
    openingHours: row.openingHours,
    notes: row.notes,
  };
}

/**
 * Deletes a facility and its walking data — unless a service (an offering, even an archived one)
 * is held there: then every statement leaves its rows alone and the last answers no row. Checked
 * inside each statement, so a service added meanwhile cannot make the delete fail halfway.
 */
export function deleteFacilityStatements(db: Db, id: string) {
  const unused = sql`NOT EXISTS (SELECT 1 FROM offerings WHERE facility_id = ${id})`;
  return [
    db.delete(walkDistances).where(and(eq(walkDistances.facilityId, id), unused)),
    db.delete(walkMembers).where(and(eq(walkMembers.memberType, "facility"), eq(walkMembers.memberId, id), unused)),
    db
      .delete(facilities)
      .where(and(eq(facilities.id, id), unused))
      .returning({ id: facilities.id }),
  ] as const;
}

export async function allFacilityIds(db: Db, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ id: facilities.id })
      .from(facilities)
      .where(inArray(facilities.id, ids.slice(i, i + 90)));
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** What the walking network knows about one compound. */
export async function networkViewFor(db: Db, compoundId: string): Promise<NetworkView> {
  const [member] = await db
    .select({ id: walkMembers.memberId })
    .from(walkMembers)
    .where(and(eq(walkMembers.memberType, "compound"), eq(walkMembers.memberId, compoundId)))
    .limit(1);
  if (!member) return { originOnNetwork: false, facilityMembers: new Set(), distances: new Map() };
  const [facilityMembers, distances] = await Promise.all([
    db.select({ id: walkMembers.memberId }).from(walkMembers).where(eq(walkMembers.memberType, "facility")),
    db
      .select({ facilityId: walkDistances.facilityId, metres: walkDistances.metres })
      .from(walkDistances)
      .where(eq(walkDistances.compoundId, compoundId)),
  ]);
  return {
    originOnNetwork: true,
    facilityMembers: new Set(facilityMembers.map((m) => m.id)),
    distances: new Map(distances.map((d) => [d.facilityId, d.metres])),
  };
}

/** The network view of every compound at once (for street coverage). */
export async function networkViews(db: Db): Promise<Map<string, NetworkView>> {
  const [members, distances] = await Promise.all([db.select().from(walkMembers), db.select().from(walkDistances)]);
  const facilityMembers = new Set(members.filter((m) => m.memberType === "facility").map((m) => m.memberId));
  const views = new Map<string, NetworkView>();
  for (const m of members) {
    if (m.memberType === "compound")
      views.set(m.memberId, { originOnNetwork: true, facilityMembers, distances: new Map() });
  }
  for (const d of distances) views.get(d.compoundId)?.distances.set(d.facilityId, d.metres);
  return views;
}

export async function currentNetwork(db: Db) {
  const [row] = await db.select().from(walkNetworks).where(eq(walkNetworks.id, "current")).limit(1);
  return row ?? null;
}

export async function networkCounts(db: Db) {
  const [members, distances] = await Promise.all([
    db.select({ type: walkMembers.memberType, n: count() }).from(walkMembers).groupBy(walkMembers.memberType),
    db.select({ n: count() }).from(walkDistances),
  ]);
  const of = (type: string) => members.find((m) => m.type === type)?.n ?? 0;
  return { compounds: of("compound"), facilities: of("facility"), distances: distances[0]?.n ?? 0 };
}

export async function compoundMembers(db: Db): Promise<Member[]> {
  const rows = await db.select().from(walkMembers).where(eq(walkMembers.memberType, "compound"));
  return rows.map((r) => ({ type: "compound", id: r.memberId, node: r.node, snapMetres: r.snapMetres }));
}

export async function allCompoundPoints(db: Db) {
  return db
    .select({
      id: compounds.id,
      name: compounds.name,
      communityId: compounds.communityId,
      lat: compounds.lat,
      lng: compounds.lng,
      households: compounds.households,
      residents: compounds.residents,
    })
    .from(compounds)
    .orderBy(asc(compounds.communityId), asc(compounds.name));
}

/** Statements that replace every membership and distance (the network itself stays). */
export function networkDataStatements(
  db: Db,
  members: Member[],
  distances: Array<{ compoundId: string; facilityId: string; metres: number }>,
): Statement[] {
  const statements: Statement[] = [db.delete(walkDistances), db.delete(walkMembers)];
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < members.length; i += 25) {
    statements.push(
      db
        .insert(walkMembers)
        .values(
          members
            .slice(i, i + 25)
            .map((m) => ({ memberType: m.type, memberId: m.id, node: m.node, snapMetres: m.snapMetres })),
        ),
    );
  }
  for (let i = 0; i < distances.length; i += 33)
    statements.push(db.insert(walkDistances).values(distances.slice(i, i + 33)));
  return statements;
}

/** Statements that replace the whole network with a new one (run in one batch: all or nothing). */
export function replaceNetworkStatements(
  db: Db,
  input: {
    name: string;
    graph: WalkGraph;
    members: Member[];
    distances: Array<{ compoundId: string; facilityId: string; metres: number }>;
    actorId: string;
    at: number;
  },
): Statement[] {
  return [
    db.delete(walkNetworks),
    db.insert(walkNetworks).values({
      id: "current",
      name: input.name,
      graph: input.graph,
      nodeCount: input.graph.nodes.length,
      edgeCount: input.graph.edges.length,
      importedAt: input.at,
      importedByAccountId: input.actorId,
    }),
    ...networkDataStatements(db, input.members, input.distances),
  ];
}

/** Every facility's location (for network computations). */
export async function facilityLocations(db: Db) {
  return db.select({ id: facilities.id, lat: facilities.lat, lng: facilities.lng }).from(facilities);
}

export function clearNetworkStatements(db: Db) {
  return [db.delete(walkDistances), db.delete(walkMembers), db.delete(walkNetworks)] as const;
}

/** Statements that replace one facility's place on the network after it was created or moved. */
export function facilityNetworkStatements(
  db: Db,
  facilityId: string,
  member: Member | null,
  distances: Array<{ compoundId: string; facilityId: string; metres: number }>,
) {
  const statements: Statement[] = [
    db.delete(walkDistances).where(eq(walkDistances.facilityId, facilityId)),
    db.delete(walkMembers).where(and(eq(walkMembers.memberType, "facility"), eq(walkMembers.memberId, facilityId))),
  ];
  if (member) {
    statements.push(
      db
        .insert(walkMembers)
        .values({ memberType: "facility", memberId: facilityId, node: member.node, snapMetres: member.snapMetres }),
    );
  }
  for (let i = 0; i < distances.length; i += 33)
    statements.push(db.insert(walkDistances).values(distances.slice(i, i + 33)));
  return statements;
}
