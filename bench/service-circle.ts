// `npm run bench [-- --duration 10 --connections 1,4]`: load-tests the service-circle endpoints of
// the real, bundled Worker on workerd (Miniflare API, no wrangler dev proxy) against a baseline
// Worker in the same process and the same D1, and reports each endpoint's ratio to the baseline
// D1 read. See bench/README.md.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Miniflare } from "miniflare";
import { COMMUNITIES, COMPOUNDS, GRID_CELLS } from "../db/seed/demo";
import { FACILITY_KINDS } from "../worker/features/facilities/kinds";
import { OpeningHours } from "../worker/features/facilities/opening-hours";
import {
  bundleWorker,
  checkOnce,
  type D1,
  type Endpoint,
  insertDemoCommunities,
  insertRows,
  load,
  migrate,
  positiveInt,
  printTable,
  RESULTS_DIR,
  ROOT,
  type Row,
  round,
  startWorkers,
  toRow,
} from "./lib";

// ---------------------------------------------------------------- options

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "1,4" },
    facilities: { type: "string", default: "5000" },
    compound: { type: "string", default: "cpd_xincheng_huayuan" },
    seed: { type: "string", default: "20261129" },
  },
  strict: true,
});

const DURATION_S = positiveInt("duration", args.duration, 300);
const CONNECTIONS = args.connections.split(",").map((c) => positiveInt("connections", c.trim(), 64));
const FACILITY_COUNT = positiveInt("facilities", args.facilities, 100_000);
const SEED = positiveInt("seed", args.seed, 2 ** 31 - 1);
const COMPOUND_ID = args.compound;
if (!COMPOUNDS.some((c) => c.id === COMPOUND_ID)) throw new Error(`--compound ${COMPOUND_ID} is not a demo compound`);
/** Per-request timeout inside a load run, seconds. */
const REQUEST_TIMEOUT_S = 10;
const BASELINE_D1 = "baseline D1 read";

// ---------------------------------------------------------------- cleanup and watchdog

let mf: Miniflare | undefined;
let tmpDir: string | undefined;

async function cleanup() {
  const current = mf;
  mf = undefined;
  if (current) await current.dispose().catch((e: unknown) => console.error("dispose failed:", e));
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = undefined;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// Hard upper bound on the whole run: setup, every load run with slack, and teardown.
const ENDPOINT_COUNT = 5;
/** Load runs per connection count: every endpoint, then the baseline D1 read again. */
const RUNS_PER_CONNECTION_COUNT = ENDPOINT_COUNT + 1;
const WATCHDOG_MS = (180 + CONNECTIONS.length * RUNS_PER_CONNECTION_COUNT * (DURATION_S + 15)) * 1000;
const watchdog = setTimeout(() => {
  console.error(`\n✖ watchdog: bench exceeded ${Math.round(WATCHDOG_MS / 1000)} s, aborting`);
  void cleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

// ---------------------------------------------------------------- deterministic fixture

/** mulberry32: small, fast, seeded. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Range = [string, string];
type Weekly = Partial<Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", Range[]>>;

const WEEKDAYS_ONLY = ["mon", "tue", "wed", "thu", "fri"] as const;
const ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

function week(days: readonly (keyof Weekly)[], ranges: Range[]): Weekly {
  const w: Weekly = {};
  for (const d of days) w[d] = ranges;
  return w;
}

/** Realistic weekly patterns per kind (Asia/Shanghai local time); several per kind, picked at random. */
const HOURS_BY_KIND: Record<string, Weekly[]> = {
  office: [
    {
      ...week(WEEKDAYS_ONLY, [
        ["08:30", "12:00"],
        ["13:30", "17:30"],
      ]),
    },
    {
      ...week(WEEKDAYS_ONLY, [
        ["08:30", "12:00"],
        ["13:30", "17:30"],
      ]),
      sat: [["09:00", "12:00"]],
    },
  ],
  school: [week(WEEKDAYS_ONLY, [["07:30", "17:00"]])],
  childcare: [week(WEEKDAYS_ONLY, [["07:30", "18:00"]])],
  clinic: [
    { ...week(WEEKDAYS_ONLY, [["08:00", "17:00"]]), sat: [["08:00", "12:00"]] },
    week(ALL_DAYS, [["08:00", "20:00"]]),
  ],
  hospital: [week(ALL_DAYS, [["00:00", "24:00"]]), week(ALL_DAYS, [["07:30", "21:00"]])],
  shop: [
    week(ALL_DAYS, [["08:00", "22:00"]]),
    week(ALL_DAYS, [["07:30", "21:30"]]),
    week(ALL_DAYS, [["09:00", "21:00"]]),
  ],
  convenience: [
    week(ALL_DAYS, [["00:00", "24:00"]]),
    week(ALL_DAYS, [["07:00", "23:00"]]),
    week(ALL_DAYS, [["07:00", "02:00"]]),
  ],
  pharmacy: [week(ALL_DAYS, [["08:00", "21:00"]]), week(ALL_DAYS, [["00:00", "24:00"]])],
  market: [week(ALL_DAYS, [["05:30", "18:00"]])],
  canteen: [
    week(ALL_DAYS, [
      ["10:30", "13:00"],
      ["16:30", "18:30"],
    ]),
    week(WEEKDAYS_ONLY, [["11:00", "13:00"]]),
  ],
  parcel: [week(ALL_DAYS, [["09:00", "20:00"]]), week(ALL_DAYS, [["08:00", "21:30"]])],
  culture: [
    { ...week(["tue", "wed", "thu", "fri", "sat", "sun"], [["09:00", "17:00"]]) },
    week(ALL_DAYS, [
      ["08:30", "11:30"],
      ["14:00", "20:30"],
    ]),
  ],
  outdoor: [week(ALL_DAYS, [["00:00", "24:00"]]), week(ALL_DAYS, [["06:00", "22:00"]])],
  transit: [week(ALL_DAYS, [["05:30", "23:00"]]), week(ALL_DAYS, [["06:00", "22:30"]])],
  bank: [{ ...week(WEEKDAYS_ONLY, [["09:00", "17:00"]]), sat: [["09:00", "16:00"]], sun: [["10:00", "15:00"]] }],
  care: [week(ALL_DAYS, [["00:00", "24:00"]])],
};

const KIND_PROFILE: Record<string, { hours: keyof typeof HOURS_BY_KIND; weight: number }> = {
  community_service_station: { hours: "office", weight: 1 },
  kindergarten: { hours: "childcare", weight: 2 },
  nursery: { hours: "childcare", weight: 1 },
  elderly_service_station: { hours: "office", weight: 1 },
  elderly_day_care: { hours: "childcare", weight: 1 },
  community_health_station: { hours: "clinic", weight: 1 },
  supermarket: { hours: "shop", weight: 4 },
  fresh_market: { hours: "market", weight: 2 },
  convenience_store: { hours: "convenience", weight: 8 },
  pharmacy: { hours: "pharmacy", weight: 4 },
  community_canteen: { hours: "canteen", weight: 2 },
  parcel_point: { hours: "parcel", weight: 5 },
  culture_station: { hours: "culture", weight: 1 },
  sports_ground: { hours: "outdoor", weight: 2 },
  park: { hours: "outdoor", weight: 2 },
  public_toilet: { hours: "outdoor", weight: 3 },
  primary_school: { hours: "school", weight: 1 },
  bus_stop: { hours: "transit", weight: 6 },
  middle_school: { hours: "school", weight: 1 },
  community_hospital: { hours: "hospital", weight: 1 },
  culture_centre: { hours: "culture", weight: 1 },
  elderly_care_home: { hours: "care", weight: 1 },
  bank: { hours: "bank", weight: 2 },
  post_office: { hours: "office", weight: 1 },
  metro_station: { hours: "transit", weight: 1 },
  rehab_station: { hours: "office", weight: 1 },
  science_station: { hours: "culture", weight: 1 },
};

/** Dated exceptions some facilities carry: the National Day week closed, or shorter Spring Festival hours. */
const EXCEPTIONS = [
  { from: "2026-10-01", to: "2026-10-07", closed: true, hours: [], note: "国庆节" },
  { from: "2027-02-06", to: "2027-02-12", closed: false, hours: [["10:00", "16:00"]] as Range[], note: "春节" },
];

const BOX = { minLat: 39.17, maxLat: 39.23, minLng: 117.25, maxLng: 117.33 };
const FIXTURE_EPOCH = Date.parse("2026-03-01T00:00:00Z");

interface FacilityFixture {
  id: string;
  kind: string;
  name: string;
  lat: number;
  lng: number;
  address: string;
  phone: string | null;
  communityId: string | null;
  stepFree: boolean;
  lift: boolean;
  accessibleToilet: boolean;
  openingHours: string;
  createdAt: number;
  updatedAt: number;
}

const facilityId = (n: number) => `fac_bench_${String(n).padStart(5, "0")}`;

function nearestCommunity(lat: number, lng: number): string | null {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of COMMUNITIES) {
    const d = (c.lat - lat) ** 2 + ((c.lng - lng) * Math.cos((lat * Math.PI) / 180)) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c.id;
    }
  }
  return best;
}

function generateFacilities(count: number, seed: number): FacilityFixture[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rand() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };
  const totalWeight = FACILITY_KINDS.reduce((s, k) => s + (KIND_PROFILE[k.code]?.weight ?? 1), 0);
  const weightedKind = () => {
    let r = rand() * totalWeight;
    for (const k of FACILITY_KINDS) {
      r -= KIND_PROFILE[k.code]?.weight ?? 1;
      if (r <= 0) return k;
    }
    return pick(FACILITY_KINDS);
  };
  const validated = new Map<string, string>();
  const hoursJson = (hours: unknown) => {
    const key = JSON.stringify(hours);
    let json = validated.get(key);
    if (json === undefined) {
      // Validate with the API's own schema so the fixture cannot hold hours the API would refuse.
      json = JSON.stringify(OpeningHours.parse(hours));
      validated.set(key, json);
    }
    return json;
  };

  const rows: FacilityFixture[] = [];
  for (let n = 1; n <= count; n++) {
    // Every kind at least once, then weighted by how common such places are.
    const kind = n <= FACILITY_KINDS.length ? (FACILITY_KINDS[n - 1] ?? weightedKind()) : weightedKind();
    const profile = KIND_PROFILE[kind.code];
    const weekly = pick(HOURS_BY_KIND[profile?.hours ?? "shop"] ?? []);
    const x = rand();
    const exceptions = x < 0.15 ? [EXCEPTIONS[0]] : x < 0.25 ? [EXCEPTIONS[1]] : [];
    const lat = Math.round((BOX.minLat + rand() * (BOX.maxLat - BOX.minLat)) * 1e6) / 1e6;
    const lng = Math.round((BOX.minLng + rand() * (BOX.maxLng - BOX.minLng)) * 1e6) / 1e6;
    const createdAt = FIXTURE_EPOCH + Math.floor(rand() * 90) * 86_400_000 + Math.floor(rand() * 86_400_000);
    rows.push({
      id: facilityId(n),
      kind: kind.code,
      name: `${kind.zh}${n}号`,
      lat,
      lng,
      address: `天津市东丽区金钟街测试路${1 + Math.floor(rand() * 400)}号`,
      phone: rand() < 0.7 ? `022-2639${String(Math.floor(rand() * 10_000)).padStart(4, "0")}` : null,
      communityId: nearestCommunity(lat, lng),
      stepFree: rand() < 0.6,
      lift: rand() < 0.25,
      accessibleToilet: rand() < 0.3,
      openingHours: hoursJson({ weekly, exceptions: exceptions.filter((e) => e !== undefined) }),
      createdAt,
      updatedAt: createdAt + Math.floor(rand() * 30) * 86_400_000,
    });
  }
  return rows;
}

// ---------------------------------------------------------------- build and start

const BASELINE_WORKER = `
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/baseline/text") return new Response("ok");
    if (pathname === "/baseline/d1") {
      const n = 1 + Math.floor(Math.random() * Number(env.FACILITY_COUNT));
      const id = "fac_bench_" + String(n).padStart(5, "0");
      const row = await env.DB.prepare("SELECT id, name, lat, lng FROM facilities WHERE id = ?").bind(id).first();
      return row ? Response.json(row) : new Response("missing " + id, { status: 500 });
    }
    return new Response("not found", { status: 404 });
  },
};
`;

async function loadFixture(db: D1, facilities: FacilityFixture[]) {
  await insertDemoCommunities(db);
  await insertRows(
    db,
    "grid_cells",
    ["id", "community_id", "code", "name", "created_at"],
    GRID_CELLS.map((g) => [g.id, g.communityId, g.code, g.name, g.createdAt]),
  );
  await insertRows(
    db,
    "compounds",
    ["id", "community_id", "grid_cell_id", "name", "address", "lat", "lng", "households", "residents", "created_at"],
    COMPOUNDS.map((c) => [
      c.id,
      c.communityId,
      c.gridCellId ?? null,
      c.name,
      c.address ?? null,
      c.lat,
      c.lng,
      c.households ?? 0,
      c.residents ?? 0,
      c.createdAt,
    ]),
  );
  await insertRows(
    db,
    "facilities",
    [
      "id",
      "kind",
      "name",
      "lat",
      "lng",
      "address",
      "phone",
      "community_id",
      "services",
      "step_free",
      "lift",
      "accessible_toilet",
      "opening_hours",
      "created_at",
      "updated_at",
    ],
    facilities.map((f) => [
      f.id,
      f.kind,
      f.name,
      f.lat,
      f.lng,
      f.address,
      f.phone,
      f.communityId,
      "[]",
      f.stepFree ? 1 : 0,
      f.lift ? 1 : 0,
      f.accessibleToilet ? 1 : 0,
      f.openingHours,
      f.createdAt,
      f.updatedAt,
    ]),
  );
}

/** json_extract keeps SQLite types; make sure the columns the API maps hold what drizzle expects. */
async function checkFixtureTypes(db: D1) {
  const row = await db
    .prepare(
      "SELECT typeof(lat) AS lat, typeof(step_free) AS stepFree, typeof(opening_hours) AS hours, typeof(created_at) AS createdAt FROM facilities LIMIT 1",
    )
    .first<Record<string, string>>();
  const expected = { lat: "real", stepFree: "integer", hours: "text", createdAt: "integer" };
  if (JSON.stringify(row) !== JSON.stringify(expected)) {
    throw new Error(`fixture column types ${JSON.stringify(row)}, expected ${JSON.stringify(expected)}`);
  }
}

/** A street admin with a live session; returns the Cookie header value. */
async function createStaffSession(db: D1): Promise<string> {
  const at = Date.now();
  const token = randomBytes(32).toString("base64url");
  const tokenHash = createHash("sha256").update(token).digest("hex");
  const accountId = "acc_bench_admin";
  await db.batch([
    db
      .prepare(
        "INSERT INTO accounts (id, phone, display_name, locale, elder_mode, created_at) VALUES (?, ?, ?, 'zh-CN', 0, ?)",
      )
      .bind(accountId, "+8613900009999", "Bench admin", at),
    db
      .prepare(
        "INSERT INTO persons (id, account_id, name, gender, phone, created_at, updated_at) VALUES (?, ?, ?, 'unspecified', ?, ?, ?)",
      )
      .bind("per_bench_admin", accountId, "Bench admin", "+8613900009999", at, at),
    db
      .prepare(
        "INSERT INTO role_grants (id, account_id, role, scope_type, scope_key, created_at) VALUES (?, ?, 'street_admin', 'street', 'street', ?)",
      )
      .bind("rgr_bench_admin", accountId, at),
    // Expires a full 30 days out, so the session middleware does not refresh (write) it during the run.
    db
      .prepare(
        "INSERT INTO sessions (id, token_hash, account_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .bind("ses_bench_admin", tokenHash, accountId, at, at + 30 * 86_400_000, at),
  ]);
  return `linli_session=${token}`;
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const loadAtStart = os.loadavg().map((l) => round(l, 2));
  const step = (label: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${label}`);

  tmpDir = mkdtempSync(path.join(os.tmpdir(), "linli-bench-"));
  const bundleDir = path.join(tmpDir, "bundle");
  const persistDir = path.join(tmpDir, "d1");

  step("bundling worker/index.ts with wrangler deploy --dry-run");
  mkdirSync(path.join(ROOT, "dist", "client"), { recursive: true });
  const { scriptPath } = bundleWorker(bundleDir);

  const workers = startWorkers({
    scriptPath,
    bundleDir,
    persistDir,
    baselineScript: BASELINE_WORKER,
    baselineBindings: { FACILITY_COUNT: String(FACILITY_COUNT) },
  });
  mf = workers.mf;
  const toml = workers.toml;
  step(`starting workerd (compatibility ${toml.date}, flags ${toml.flags.join(",") || "none"})`);
  const base = (await mf.ready).toString();
  const db = await mf.getD1Database("DB");

  step("applying migrations");
  const migrations = await migrate(db);

  step(
    `generating fixture: ${COMMUNITIES.length} communities, ${COMPOUNDS.length} compounds, ${FACILITY_COUNT} facilities`,
  );
  const facilities = generateFacilities(FACILITY_COUNT, SEED);
  await loadFixture(db, facilities);
  await checkFixtureTypes(db);
  const cookie = await createStaffSession(db);

  const nearbyFacts = (body: string) => {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && "total" in parsed && "items" in parsed) {
      const items = Array.isArray(parsed.items) ? parsed.items.length : "?";
      return `${String(parsed.total)} within reach, ${items} returned, ${(Buffer.byteLength(body) / 1024).toFixed(1)} KB`;
    }
    return `${(Buffer.byteLength(body) / 1024).toFixed(1)} KB`;
  };
  const endpoints: Endpoint[] = [
    { name: "baseline text", path: "/baseline/text" },
    { name: BASELINE_D1, path: "/baseline/d1" },
    { name: "nearby", path: `/api/nearby?compoundId=${COMPOUND_ID}`, describe: nearbyFacts },
    {
      name: "nearby openNow+kinds",
      path: `/api/nearby?compoundId=${COMPOUND_ID}&openNow=true&kinds=pharmacy,supermarket`,
      describe: nearbyFacts,
    },
    {
      name: "coverage street",
      path: "/api/coverage/street",
      headers: { cookie },
      describe: (body) => `${(Buffer.byteLength(body) / 1024).toFixed(1)} KB`,
    },
  ];
  if (endpoints.length !== ENDPOINT_COUNT) throw new Error("update ENDPOINT_COUNT for the watchdog");

  const busy = os.loadavg()[0] ?? 0;
  if (busy > os.cpus().length * 0.5) {
    console.warn(
      `  ! load average ${busy.toFixed(2)} on ${os.cpus().length} CPUs before the runs: other processes compete, ` +
        "absolute numbers will be low and noisy (ratios less so)",
    );
  }

  step(`checking every endpoint answers 200 (${base})`);
  const facts: Record<string, string> = {};
  for (const e of endpoints) {
    const body = await checkOnce(base, e);
    if (e.describe) facts[e.name] = e.describe(body);
  }

  const baselineD1 = endpoints.find((e) => e.name === BASELINE_D1);
  if (!baselineD1) throw new Error("no baseline D1 endpoint");
  const rows: Row[] = [];
  const baselines = new Map<number, { reqPerSec: number; p99Ms: number; drift: number }>();
  for (const connections of CONNECTIONS) {
    // The baseline D1 read runs again after the endpoints; ratios use the mean of both runs, and
    // the drift between them says how much the machine's load moved during the block.
    const block: Row[] = [];
    for (const [e, name] of [
      ...endpoints.map((e) => [e, e.name] as const),
      [baselineD1, `${BASELINE_D1} (again)`] as const,
    ]) {
      step(`load: ${name}, ${connections} connection(s), ${DURATION_S} s`);
      const r = await load(base, e, connections, DURATION_S, REQUEST_TIMEOUT_S);
      if (r.errors + r.timeouts + r.non2xx > 0) {
        console.warn(`  ! ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
      }
      block.push(toRow(name, e.path, connections, r));
    }
    const runs = block.filter((r) => r.path === baselineD1.path);
    const mean = (f: (r: Row) => number) => runs.reduce((s, r) => s + f(r), 0) / Math.max(1, runs.length);
    const baseRps = mean((r) => r.reqPerSec);
    const baseP99 = mean((r) => r.p99Ms);
    const [first, second] = runs;
    const drift = first && second && first.reqPerSec > 0 ? round(second.reqPerSec / first.reqPerSec - 1, 3) : 0;
    baselines.set(connections, { reqPerSec: round(baseRps), p99Ms: round(baseP99), drift });
    for (const row of block) {
      if (!row.path.startsWith("/baseline/text")) {
        row.rpsRatioToBaselineD1 = baseRps > 0 ? round(row.reqPerSec / baseRps, 3) : null;
        row.p99RatioToBaselineD1 = baseP99 > 0 ? round(row.p99Ms / baseP99, 2) : null;
      }
    }
    rows.push(...block);
  }

  console.log();
  printTable(rows);
  console.log();
  for (const [name, fact] of Object.entries(facts)) console.log(`${name}: ${fact}`);
  for (const [connections, b] of baselines) {
    const note =
      Math.abs(b.drift) > 0.15 ? " — the machine's load changed during the block: treat ratios with care" : "";
    console.log(
      `baseline D1 read at ${connections} connection(s): mean ${b.reqPerSec.toFixed(0)} req/s, p99 ${b.p99Ms} ms; ` +
        `second run ${(b.drift * 100).toFixed(0)}% vs first${note}`,
    );
  }
  console.log(
    "× base rps: endpoint req/s ÷ mean baseline D1 read req/s at the same connections (higher is better; 1.00 = as fast as one primary-key read).",
  );
  console.log(
    "× base p99: endpoint p99 ÷ mean baseline D1 read p99 (lower is better). Latency has 1 ms resolution; KB/resp includes headers.",
  );

  const finishedAt = new Date();
  const report = {
    startedAt: new Date(started).toISOString(),
    finishedAt: finishedAt.toISOString(),
    totalSeconds: round((finishedAt.getTime() - started) / 1000),
    options: {
      durationSeconds: DURATION_S,
      connections: CONNECTIONS,
      facilities: FACILITY_COUNT,
      seed: SEED,
      compoundId: COMPOUND_ID,
    },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
    },
    worker: { compatibilityDate: toml.date, compatibilityFlags: toml.flags, migrations },
    fixture: { communities: COMMUNITIES.length, compounds: COMPOUNDS.length, facilities: FACILITY_COUNT },
    responses: facts,
    baselineD1: Object.fromEntries(baselines),
    results: rows,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `service-circle-${finishedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, file)}; total ${report.totalSeconds} s`);
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  console.error("\n✖ bench failed:", e instanceof Error ? (e.stack ?? e.message) : e);
  exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exit(exitCode);
