import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import type { OrganisationType } from "../../../db/schema";
import { communities, compounds, organisations } from "../../../db/schema";

export async function listCommunities(db: Db) {
  return db
    .select({
      id: communities.id,
      code: communities.code,
      name: communities.name,
      nameEn: communities.nameEn,
      address: communities.address,
      phone: communities.phone,
      lat: communities.lat,
      lng: communities.lng,
      gridCellCount: sql<number>`(SELECT count(*) FROM grid_cells WHERE grid_cells.community_id = communities.id)`,
      compoundCount: sql<number>`(SELECT count(*) FROM compounds WHERE compounds.community_id = communities.id)`,
    })
    .from(communities)
    .orderBy(asc(communities.code));
}

export async function findCommunity(db: Db, id: string) {
  const [row] = await db.select().from(communities).where(eq(communities.id, id)).limit(1);
  return row ?? null;
}

export async function listCompounds(db: Db, communityId: string) {
  return db
    .select({
      id: compounds.id,
      communityId: compounds.communityId,
      name: compounds.name,
      address: compounds.address,
      lat: compounds.lat,
      lng: compounds.lng,
      households: compounds.households,
      residents: compounds.residents,
    })
    .from(compounds)
    .where(eq(compounds.communityId, communityId))
    .orderBy(asc(compounds.name));
}

export async function findCompound(db: Db, id: string) {
  const [row] = await db.select().from(compounds).where(eq(compounds.id, id)).limit(1);
  return row ?? null;
}

export async function findOrganisation(db: Db, id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id)).limit(1);
  return row ?? null;
}

export async function listOrganisations(db: Db, filter: { type?: OrganisationType; communityId?: string }) {
  const where: SQL[] = [];
  if (filter.type) where.push(eq(organisations.type, filter.type));
  if (filter.communityId) where.push(eq(organisations.communityId, filter.communityId));
  return db
    .select({
      id: organisations.id,
      type: organisations.type,
      name: organisations.name,
      nameEn: organisations.nameEn,
      communityId: organisations.communityId,
      address: organisations.address,
      phone: organisations.phone,
    })
    .from(organisations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(organisations.type), asc(organisations.name));
}
