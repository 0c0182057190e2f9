import type { Db } from "../db";
import type { Role, ScopeType } from "../db/schema";

/** Worker bindings and variables (see wrangler.toml). */
export interface Bindings {
  DB: D1Database;
  /** The built site (dist/client): the pages the Worker draws go into its index.html. */
  ASSETS: Fetcher;
  /** "true" only in local runs and tests: SMS land in the outbox readable at /api/dev/outbox. */
  DEV_OUTBOX?: string;
  /** Which SMS sender to use: "outbox" records messages without sending them anywhere; "aliyun" (README). */
  SMS_PROVIDER?: string;
  /** Aliyun SMS (SMS_PROVIDER = "aliyun"): the RAM user's AccessKey pair (`wrangler secret put`). */
  ALIYUN_ACCESS_KEY_ID?: string;
  ALIYUN_ACCESS_KEY_SECRET?: string;
  /** The approved signature (签名), e.g. "金钟街道". */
  ALIYUN_SMS_SIGN_NAME?: string;
  /** JSON: each message template of the README's list → its approved Aliyun TemplateCode. */
  ALIYUN_SMS_TEMPLATES?: string;
  /** The API's address; Aliyun's public endpoint when unset. */
  ALIYUN_SMS_ENDPOINT?: string;
  /** Extra origins allowed to make state-changing requests, comma separated (the site's own origin always is). */
  APP_ORIGIN?: string;
  /** Secret key for hashing one-time codes and ID numbers (`wrangler secret put HASH_KEY`). */
  HASH_KEY?: string;
  /** Walking model (see worker/lib/geo.ts): straight line × detour ≈ street distance; speeds in km/h. */
  WALK_DETOUR_FACTOR?: string;
  WALK_SPEED_KMH?: string;
  WALK_ELDER_SPEED_KMH?: string;
  /** Optional XYZ tile URL template for a background map layer (its host must also be allowed in the CSP). */
  MAP_TILE_URL?: string;
}

export interface Grant {
  id: string;
  role: Role;
  scopeType: ScopeType;
  communityId: string | null;
  organisationId: string | null;
}

export interface SessionAccount {
  id: string;
  phone: string;
  sessionId: string;
  grants: Grant[];
}

export interface Variables {
  requestId: string;
  db: Db;
  /** The session cookie's token (null when absent); see middleware/session.ts. */
  sessionToken: string | null;
  /** The signed-in account once resolved (undefined until then): use `currentAccount` or `requireAccount`. */
  account: SessionAccount | null | undefined;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
