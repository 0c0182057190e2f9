// `npm run bench:bookings [-- --duration 10 --connections 4,16 --rebuild]`: load-tests the booking
// endpoints of the real, bundled Worker on workerd (Miniflare API, no wrangler dev proxy) on a
// local D1 seeded at scale (100,000 persons, 2,000 offerings, 200,000 slots, 1,000,000 bookings),
// beside a baseline Worker doing one D1 primary-key read on the same database, and writes the
// table to bench/results.md. The seeded database is cached in bench/.cache/. See bench/README.md.
import { createHash, randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildSync } from "esbuild";
import type { Miniflare } from "miniflare";
import { COMMUNITIES } from "../db/seed/demo";
import {
  bundleSize,
  bundleWorker,
  checkOnce,
  type D1,
  type Endpoint,
  insertDemoCommunities,
  insertRows,
  load,
  loadAlternating,
  machine,
  median,
  migrate,
  ms,
  positiveInt,
  printTable,
  RESULTS_DIR,
  ROOT,
  type Row,
  round,
  startWorkers,
  toRow,
} from "./lib";

/** Bump when the fixture's SQL changes: the cache key includes it. */
const FIXTURE_VERSION = 3;

// ---------------------------------------------------------------- options

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "4,16" },
    persons: { type: "string", default: "100000" },
    offerings: { type: "string", default: "2000" },
    slots: { type: "string", default: "200000" },
    bookings: { type: "string", default: "1000000" },
    accounts: { type: "string", default: "500" },
    rebuild: { type: "boolean", default: false },
  },
  strict: true,
});

const DURATION_S = positiveInt("duration", args.duration, 300);
const CONNECTIONS = args.connections.split(",").map((c) => positiveInt("connections", c.trim(), 64));
/** Each endpoint's time is cut into this many slices, alternating with the baseline's (`loadAlternating`). */
const SLICES = 5;
const F = {
  persons: positiveInt("persons", args.persons, 9_999_999),
  offerings: positiveInt("offerings", args.offerings, 99_999),
  slots: positiveInt("slots", args.slots, 9_999_999),
  bookings: positiveInt("bookings", args.bookings, 9_999_999),
  /** Accounts that drive the load: each has its own person and acts as proxy for two managed elders. */
  accounts: positiveInt("accounts", args.accounts, 99_999),
};
if (F.slots % F.offerings !== 0) throw new Error("--slots must be a multiple of --offerings");
if (F.persons < 3 * F.accounts) throw new Error("--persons must be at least 3 × --accounts");
/** Slots per offering, one a day: the first half in the past, the rest from today on. */
const SLOTS_PER_OFFERING = F.slots / F.offerings;
const PAST_DAYS = Math.floor(SLOTS_PER_OFFERING / 2);
/** Bookings per slot (the last round covers only part of the slots). */
const PER_SLOT = Math.ceil(F.bookings / F.slots);
/** Person of booking n: (slot × 7919 + round × STRIDE) mod persons — distinct within a slot. */
const STRIDE = Math.floor(F.persons / PER_SLOT);
if (STRIDE < 1) throw new Error("more bookings per slot than persons");
const ORGANISATIONS = 50;
const REQUEST_TIMEOUT_S = 10;
const BASELINE_D1 = "baseline D1 read";
/** The same read from a plain fetch handler (no Hono): a reference row, not the ratios' baseline. */
const BARE_D1 = "bare Worker D1 read";
const TARGET_RPS_RATIO = 0.5;
const TARGET_P99_RATIO = 2;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/**
 * What time of day it is in the fixture when the load runs: 20:00 Shanghai on the anchor's day,
 * after its day's slots (08:00–19:00) — the hour at which the runs recorded in results.md before
 * the fixture had a clock were made (18:35–21:20 Shanghai), so they stay comparable.
 */
const FIXTURE_CLOCK = 20 * HOUR;

/** "−6.7 h", "+2 d 3.0 h". */
function hoursText(ms: number) {
  const sign = ms < 0 ? "−" : "+";
  const h = Math.abs(ms) / HOUR;
  const d = Math.floor(h / 24);
  return `${sign}${d ? `${d} d ` : ""}${(h - d * 24).toFixed(1)} h`;
}
const CACHE_ROOT = path.join(ROOT, "bench", ".cache");
const RESULTS_MD = path.join(ROOT, "bench", "results.md");

// ---------------------------------------------------------------- cleanup and watchdog

let mf: Miniflare | undefined;
const tempDirs: string[] = [];

async function disposeWorkers() {
  const current = mf;
  mf = undefined;
  if (current) await current.dispose().catch((e: unknown) => console.error("dispose failed:", e));
}

async function cleanup() {
  await disposeWorkers();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

const ENDPOINT_COUNT = 8;
/**
 * Load time per connection count, in DURATION_S units: the bare route and the bare Worker's read
 * (references), then every other endpoint alternating with the baseline D1 read (its own time and
 * SLICES + 1 baseline slices: a little over two units; three, for the slices' start-up).
 */
const RUNS_PER_CONNECTION_COUNT = 2 + 3 * (ENDPOINT_COUNT - 3);
/** Building the fixture (~1–3 min on 2 cores) plus every load run with slack, plus teardown. */
const WATCHDOG_MS = (960 + CONNECTIONS.length * RUNS_PER_CONNECTION_COUNT * (DURATION_S + 20)) * 1000;
const watchdog = setTimeout(() => {
  console.error(`\n✖ watchdog: bench exceeded ${Math.round(WATCHDOG_MS / 1000)} s, aborting`);
  void cleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

// ---------------------------------------------------------------- fixture

const personId = (p: number) => `per_b_${String(p).padStart(7, "0")}`;
const accountId = (a: number) => `acc_b_${String(a).padStart(5, "0")}`;
const offeringId = (o: number) => `off_b_${String(o).padStart(5, "0")}`;
/** Care offerings: six in ten (o mod 10 < 6); the rest are clinics, courses, events… */
const isCare = (o: number) => o % 10 < 6;
/** Managed elder m (0 ≤ m < 2 × accounts) is person accounts + m; account ⌊m/2⌋ is their proxy. */
const managedPerson = (m: number) => F.accounts + m;

/** 00:00 Asia/Shanghai of the day containing `at`, as UTC epoch ms. */
function shanghaiMidnight(at: number) {
  const date = new Date(at + 8 * HOUR).toISOString().slice(0, 10);
  return Date.parse(`${date}T00:00:00+08:00`);
}

function migrationsHash() {
  const dir = path.join(ROOT, "db", "migrations");
  const h = createHash("sha256");
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".sql"))
    .sort()) {
    h.update(f).update(readFileSync(path.join(dir, f)));
  }
  return h.digest("hex");
}

function cacheKey() {
  const h = createHash("sha256")
    .update(JSON.stringify({ FIXTURE_VERSION, ...F, migrations: migrationsHash() }))
    .digest("hex")
    .slice(0, 10);
  return `bookings-p${F.persons}-o${F.offerings}-s${F.slots}-b${F.bookings}-a${F.accounts}-${h}`;
}

interface CacheMeta {
  key: string;
  fixtureVersion: number;
  fixture: typeof F;
  /** Shanghai midnight the slot times were laid out from; later runs shift them by whole days. */
  anchor: number;
  builtAt: string;
  seedSeconds: number;
  steps: Record<string, number>;
}

/** Runs one statement and says how long it took. */
async function exec(db: D1, label: string, sql: string, steps: Record<string, number>) {
  const t = Date.now();
  const r = await db.prepare(sql).run();
  steps[label] = round((Date.now() - t) / 1000, 2);
  console.log(`    ${label}: ${r.meta.changes} rows in ${steps[label]} s`);
}

const seq = (from: number, to: number, v = "n") =>
  `WITH RECURSIVE seq(${v}) AS (SELECT ${from} UNION ALL SELECT ${v} + 1 FROM seq WHERE ${v} + 1 < ${to})`;

/**
 * Writes the whole fixture with a few INSERT … SELECT statements over recursive CTEs, so SQLite
 * generates the rows itself (no row-by-row traffic through Miniflare). Deterministic: row n of
 * every table is a function of n, and the load below recomputes who is booked where.
 */
async function seed(db: D1, anchor: number) {
  const steps: Record<string, number> = {};
  const at = anchor - 120 * DAY;
  const A = F.accounts;
  const communityIds = JSON.stringify(COMMUNITIES.map((c) => c.id)).replaceAll("'", "''");
  const nc = COMMUNITIES.length;

  await insertDemoCommunities(db);
  const orgTypes = ["elderly_centre", "day_care_centre", "clinic", "social_organisation", "training_school"];
  await exec(
    db,
    "organisations",
    `${seq(0, ORGANISATIONS)}
     INSERT INTO organisations (id, type, name, community_id, created_at)
     SELECT printf('org_b_%02d', n), json_extract('${JSON.stringify(orgTypes)}', '$[' || (n % ${orgTypes.length}) || ']'),
            '金钟街服务机构' || n, json_extract('${communityIds}', '$[' || (n % ${nc}) || ']'), ${at}
     FROM seq`,
    steps,
  );
  await exec(
    db,
    "accounts",
    `${seq(0, A)}
     INSERT INTO accounts (id, phone, display_name, community_id, locale, elder_mode, created_at)
     SELECT printf('acc_b_%05d', n), printf('+86139%08d', n), '用户' || n,
            json_extract('${communityIds}', '$[' || (n % ${nc}) || ']'), 'zh-CN', 0, ${at}
     FROM seq
     UNION ALL SELECT 'acc_b_staff', '+8613899999999', '服务机构工作人员', NULL, 'zh-CN', 0, ${at}`,
    steps,
  );
  // Persons 0…A-1 are the accounts' own persons (aged 30–55), A…3A-1 managed elders (70–97)
  // reached by proxy, the rest residents of every age without an account.
  await exec(
    db,
    "persons",
    `${seq(0, F.persons, "p")}
     INSERT INTO persons (rowid, id, account_id, name, birth_date, gender, phone, community_id, address,
                          created_by_account_id, created_at, updated_at)
     SELECT p + 1, printf('per_b_%07d', p),
            CASE WHEN p < ${A} THEN printf('acc_b_%05d', p) END,
            '居民' || p,
            printf('%04d-%02d-%02d',
                   CASE WHEN p < ${A} THEN 1971 + p % 25 WHEN p < ${3 * A} THEN 1929 + p % 27 ELSE 1930 + p % 80 END,
                   1 + p % 12, 1 + p % 28),
            CASE p % 2 WHEN 0 THEN 'female' ELSE 'male' END,
            CASE WHEN p < ${A} THEN printf('+86139%08d', p) END,
            json_extract('${communityIds}', '$[' || (p % ${nc}) || ']'),
            '天津市东丽区金钟街' || (1 + p % 400) || '号',
            CASE WHEN p >= ${A} AND p < ${3 * A} THEN printf('acc_b_%05d', (p - ${A}) / 2) END,
            ${at}, ${at}
     FROM seq`,
    steps,
  );
  await exec(
    db,
    "proxy_links",
    `${seq(0, 2 * A, "m")}
     INSERT INTO proxy_links (id, proxy_account_id, person_id, relationship, scope, status, requested_by_account_id,
                              consent_method, consent_recorded_by_account_id, consent_recorded_at, created_at, decided_at)
     SELECT printf('prx_b_%05d', m), printf('acc_b_%05d', m / 2), printf('per_b_%07d', ${A} + m), 'child', 'all',
            'active', printf('acc_b_%05d', m / 2), 'in_person', 'acc_b_staff', ${at}, ${at}, ${at}
     FROM seq`,
    steps,
  );
  await exec(
    db,
    "offerings",
    `${seq(0, F.offerings, "o")}
     INSERT INTO offerings (rowid, id, organisation_id, kind, category, title, description, price_fen, min_age,
                            opens_days_before, closes_hours_before, cancel_cutoff_hours, waitlist,
                            max_active_per_person, requires_confirmation, requires_address, status, created_at, updated_at)
     SELECT o + 1, printf('off_b_%05d', o), printf('org_b_%02d', o % ${ORGANISATIONS}),
            CASE WHEN o % 10 < 6 THEN 'care'
                 ELSE json_extract('["clinic","training","event","teleconsult","volunteer_shift"]', '$[' || ((o / 10) % 5) || ']') END,
            CASE WHEN o % 10 < 6 THEN json_extract('["day_care","meal","bathing","rehabilitation"]', '$[' || (o % 4) || ']') END,
            '社区服务 ' || o, '每周固定时段，名额有限，请按时到场。', (o % 3) * 500,
            CASE WHEN o % 10 < 6 THEN 60 END,
            30, 0, 2, 1, 1000, CASE WHEN o % 7 = 0 THEN 1 ELSE 0 END, 0, 'active', ${at}, ${at}
     FROM seq`,
    steps,
  );
  // The event offerings are published community events, one community each (the calendar and the
  // iCalendar feed read them through event_details).
  await exec(
    db,
    "event_details",
    `INSERT INTO event_details (offering_id, community_id, audience, place_text, accessibility, contact, signup,
                                workflow, created_by_account_id, submitted_at, reviewed_at, published_at, updated_at)
     SELECT id, json_extract('${communityIds}', '$[' || (rowid % ${nc}) || ']'),
            json_extract('["all","elderly","children","families"]', '$[' || (rowid % 4) || ']'),
            '社区活动室', '["step_free"]', '社区居委会 022-26391000', 1, 'published', 'acc_b_staff', ${at}, ${at}, ${at}, ${at}
     FROM offerings WHERE kind = 'event'`,
    steps,
  );
  // Slot s: offering ⌊s / K⌋, day (s mod K) − PAST from the anchor, 08:00–17:00 local, 4–12 places,
  // one in 53 cancelled.
  const K = SLOTS_PER_OFFERING;
  await exec(
    db,
    "slots",
    `${seq(0, F.slots, "s")}
     INSERT INTO slots (rowid, id, offering_id, starts_at, ends_at, capacity, status, series_id, created_at, updated_at)
     SELECT s + 1, printf('slt_b_%07d', s), printf('off_b_%05d', s / ${K}), t, t + (1 + s % 2) * ${HOUR},
            4 + s % 9, CASE WHEN s % 53 = 0 THEN 'cancelled' ELSE 'open' END, printf('ser_b_%05d', s / ${K}), ${at}, ${at}
     FROM (SELECT s, ${anchor} + ((s % ${K}) - ${PAST_DAYS}) * ${DAY} + (8 + (s / ${K} + s % ${K}) % 10) * ${HOUR} AS t FROM seq)`,
    steps,
  );
  // Booking n: slot n mod S, round j = ⌊n / S⌋, person (slot × 7919 + j × STRIDE) mod P. Past slots:
  // completed, some no-shows; future ones: confirmed up to capacity, then waitlisted; one in ten
  // cancelled. Actor: the person's own account, their proxy, or staff taking a phone call.
  const CHUNK = 100_000;
  const A3 = 3 * A;
  for (let lo = 0; lo < F.bookings; lo += CHUNK) {
    const hi = Math.min(F.bookings, lo + CHUNK);
    await exec(
      db,
      `bookings ${lo}–${hi - 1}`,
      `${seq(lo, hi)}
       INSERT INTO bookings (rowid, id, slot_id, offering_id, person_id, actor_account_id, actor_role, channel, status,
                             code, created_at, updated_at, cancelled_at, cancelled_by_account_id, completed_at, rating)
       SELECT n + 1, printf('bkg_b_%07d', n), slot_id, offering_id, printf('per_b_%07d', pp),
              CASE WHEN pp < ${A} THEN printf('acc_b_%05d', pp)
                   WHEN pp < ${A3} THEN printf('acc_b_%05d', (pp - ${A}) / 2) ELSE 'acc_b_staff' END,
              CASE WHEN pp < ${A} THEN 'self' WHEN pp < ${A3} THEN 'proxy' ELSE 'staff' END,
              CASE WHEN pp < ${A3} THEN 'app' ELSE 'phone' END,
              st, 'F' || printf('%07d', n), created, created,
              CASE WHEN st = 'cancelled' THEN created + ${DAY} END,
              CASE WHEN st = 'cancelled' THEN 'acc_b_staff' END,
              CASE WHEN st = 'completed' THEN ends_at END,
              CASE WHEN st = 'completed' AND n % 5 = 0 THEN 3 + n % 3 END
       FROM (SELECT x.n, x.pp, sl.id AS slot_id, sl.offering_id, sl.ends_at,
                    CASE WHEN sl.status = 'cancelled' OR x.n % 10 = 9 THEN 'cancelled'
                         WHEN sl.starts_at < ${anchor} THEN
                           CASE WHEN x.j >= sl.capacity THEN 'cancelled' WHEN x.n % 10 = 8 THEN 'no_show' ELSE 'completed' END
                         WHEN x.j < sl.capacity THEN 'confirmed' ELSE 'waitlisted' END AS st,
                    sl.starts_at - 10 * ${DAY} + x.j * ${HOUR} AS created
             FROM (SELECT n, n % ${F.slots} AS s, n / ${F.slots} AS j,
                          ((n % ${F.slots}) * 7919 + (n / ${F.slots}) * ${STRIDE}) % ${F.persons} AS pp FROM seq) x
             JOIN slots sl ON sl.rowid = x.s + 1)`,
      steps,
    );
  }
  // The inbox they would have in use: the two reminders (reminders.ts) of every past booking that
  // an account holder made, for themself or as proxy, read an hour after each was sent. (A new
  // booking itself writes a notice only when someone else booked for a person with an account —
  // docs/decisions/004; none of the fixture's bookings is such.)
  await exec(
    db,
    "notifications",
    `INSERT INTO notifications (id, account_id, dedupe_key, kind, title, body, link, params, created_at, read_at)
     SELECT 'ntf_b_' || substr(b.id, 7) || r.k, b.actor_account_id, r.kind || ':' || b.id, r.kind, '服务提醒',
            p.name || '：“' || o.title || '”，签到码 ' || b.code || '。', '/bookings/' || b.id,
            json_object('person', p.name, 'offering', o.title, 'startsAt', s.starts_at, 'code', b.code),
            s.starts_at - r.lead, s.starts_at - r.lead + ${HOUR}
     FROM bookings b
       JOIN slots s ON s.id = b.slot_id
       JOIN offerings o ON o.id = b.offering_id
       JOIN persons p ON p.id = b.person_id
       CROSS JOIN (SELECT 'a' AS k, 'reminder-24h' AS kind, ${DAY} AS lead
                   UNION ALL SELECT 'b', 'reminder-2h', 2 * ${HOUR}) r
     WHERE b.actor_role IN ('self', 'proxy') AND b.status IN ('completed', 'no_show')`,
    steps,
  );
  return steps;
}

/** Booking rounds j of slot s that exist in the fixture, and who holds them. */
function fixturePersonsOfSlot(s: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < PER_SLOT && j * F.slots + s < F.bookings; j++) out.push((s * 7919 + j * STRIDE) % F.persons);
  return out;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const st = statSync(path.join(dir, file));
    if (st.isFile()) total += st.size;
  }
  return total;
}

/** The SQLite file(s) Miniflare keeps for the D1 database under a persist dir. */
function sqliteFiles(persistDir: string) {
  return readdirSync(persistDir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.sqlite(-wal|-shm)?$/.test(f))
    .map((f) => ({ file: f, bytes: statSync(path.join(persistDir, f)).size }));
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

// ---------------------------------------------------------------- baseline

/** bench/baseline-worker.ts bundled into one ES module (it imports Hono). */
function baselineWorker() {
  const out = buildSync({
    entryPoints: [path.join(ROOT, "bench", "baseline-worker.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error("esbuild wrote nothing for bench/baseline-worker.ts");
  return file.text;
}

// ---------------------------------------------------------------- main

interface BenchRow extends Row {
  /** Req/s and p99 of the baseline D1 read measured in between this row's slices (endpoints only). */
  baselineReqPerSec: number | null;
  baselineP99Ms: number | null;
  /** Endpoints: req/s over all slices ÷ the baseline's over all its slices. */
  totalRpsRatio?: number | null;
  /** Endpoints: each slice's req/s and p99 ÷ the mean of the two baseline slices around it. */
  pairs?: Array<{ rpsRatio: number; p99Ratio: number }>;
}

interface BaselineSummary {
  runs: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  minReqPerSec: number;
  maxReqPerSec: number;
  maxStepDrift: number;
}

interface Verdict {
  connections: number;
  endpoint: string;
  rpsOk: boolean;
  p99Ok: boolean;
}

async function main() {
  const started = Date.now();
  const startedAt = new Date(started);
  const loadAtStart = os.loadavg().map((l) => round(l, 2));
  const step = (label: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${label}`);

  const runDir = mkdtempSync(path.join(os.tmpdir(), "linli-bench-bookings-"));
  tempDirs.push(runDir);
  const bundleDir = path.join(runDir, "bundle");
  const persistDir = path.join(runDir, "d1");

  step("bundling worker/index.ts with wrangler deploy --dry-run");
  const { scriptPath } = bundleWorker(bundleDir);
  const bundle = bundleSize(bundleDir);
  console.log(`    ${bundle.files.join(", ")}: ${mib(bundle.raw)}, ${(bundle.gzipped / 1024).toFixed(1)} KiB gzipped`);
  const workerOptions = {
    scriptPath,
    bundleDir,
    baselineScript: baselineWorker(),
    baselineBindings: { BOOKING_COUNT: String(F.bookings) },
  };

  // ---- fixture: from the cache, or built once into it
  const key = cacheKey();
  const cacheDir = path.join(CACHE_ROOT, key);
  // One JSON line; not `.json`, so linters leave the cache alone even before .gitignore lists it.
  const metaFile = path.join(cacheDir, "meta.jsonl");
  let fromCache = existsSync(metaFile) && !args.rebuild;
  let meta: CacheMeta;
  if (fromCache) {
    meta = JSON.parse(readFileSync(metaFile, "utf8")) as CacheMeta;
    step(`fixture from cache ${path.relative(ROOT, cacheDir)} (built ${meta.builtAt} in ${meta.seedSeconds} s)`);
  } else {
    mkdirSync(CACHE_ROOT, { recursive: true });
    // Keeps the cache out of git even before the root .gitignore lists it.
    writeFileSync(path.join(CACHE_ROOT, ".gitignore"), "*\n");
    // A fixture of the same size built by an older script or schema is stale: drop it. Other sizes stay.
    const sameSize = key.slice(0, key.lastIndexOf("-") + 1);
    for (const old of readdirSync(CACHE_ROOT).filter((d) => d.startsWith(sameSize) && d !== key)) {
      console.log(`    removing stale fixture cache ${old}`);
      rmSync(path.join(CACHE_ROOT, old), { recursive: true, force: true });
    }
    rmSync(cacheDir, { recursive: true, force: true });
    const building = mkdtempSync(path.join(CACHE_ROOT, "building-"));
    tempDirs.push(building);
    const anchor = shanghaiMidnight(Date.now());
    step(
      `building fixture: ${F.persons} persons, ${F.offerings} offerings, ${F.slots} slots, ${F.bookings} bookings, ` +
        `${F.accounts} load accounts`,
    );
    const seedStart = Date.now();
    mf = startWorkers({ ...workerOptions, persistDir: path.join(building, "d1") }).mf;
    await mf.ready;
    const db = await mf.getD1Database("DB");
    await migrate(db);
    const steps = await seed(db, anchor);
    await disposeWorkers();
    const seedSeconds = round((Date.now() - seedStart) / 1000);
    meta = {
      key,
      fixtureVersion: FIXTURE_VERSION,
      fixture: F,
      anchor,
      builtAt: new Date().toISOString(),
      seedSeconds,
      steps,
    };
    writeFileSync(path.join(building, "meta.jsonl"), `${JSON.stringify(meta)}\n`);
    renameSync(building, cacheDir);
    tempDirs.splice(tempDirs.indexOf(building), 1);
    step(`fixture built in ${seedSeconds} s, cached in ${path.relative(ROOT, cacheDir)}`);
    fromCache = false;
  }
  const cachedFileBytes = sqliteFiles(path.join(cacheDir, "d1")).reduce((s, f) => s + f.bytes, 0);

  // ---- every run works on a copy, so the load's writes never reach the cache
  const copyStart = Date.now();
  cpSync(path.join(cacheDir, "d1"), persistDir, { recursive: true });
  const copySeconds = round((Date.now() - copyStart) / 1000, 2);
  step(`copied the database (${mib(dirBytes(persistDir))}) in ${copySeconds} s; starting workerd`);
  const workers = startWorkers({ ...workerOptions, persistDir });
  mf = workers.mf;
  const toml = workers.toml;
  const base = (await mf.ready).toString();
  const db = await mf.getD1Database("DB");

  // ---- the fixture's clock: shift slot times so that now is FIXTURE_CLOCK past the anchor's
  // midnight, whatever the day and hour of the run — the same slots are past, today's or ahead,
  // and the same bookings are upcoming (a run at 00:40 Shanghai would otherwise see all of
  // today's slots as still to come, one at 21:00 almost none, and "my bookings" lists of twice
  // the length).
  const shiftMs = Math.round((Date.now() - (meta.anchor + FIXTURE_CLOCK)) / MINUTE) * MINUTE;
  let shiftSeconds = 0;
  if (shiftMs !== 0) {
    const t = Date.now();
    await db.prepare("UPDATE slots SET starts_at = starts_at + ?1, ends_at = ends_at + ?1").bind(shiftMs).run();
    shiftSeconds = round((Date.now() - t) / 1000, 2);
    step(`shifted slot times by ${hoursText(shiftMs)} in ${shiftSeconds} s (the fixture's clock: 20:00 Shanghai)`);
  }

  // ---- sessions for the load accounts (fresh tokens every run)
  const at = Date.now();
  const tokens = Array.from({ length: F.accounts }, () => randomBytes(32).toString("base64url"));
  await insertRows(
    db,
    "sessions",
    ["id", "token_hash", "account_id", "created_at", "expires_at", "last_seen_at"],
    // Expiring a full 30 days out, so the session middleware does not refresh (write) them during the run.
    tokens.map((t, a) => [
      `ses_b_${a}`,
      createHash("sha256").update(t).digest("hex"),
      accountId(a),
      at,
      at + 30 * DAY,
      at,
    ]),
  );
  const cookies = tokens.map((t) => `linli_session=${t}`);

  // D1 reports the database's size (pages × page size) with every result.
  const dbBytes = (await db.prepare("SELECT 1").run()).meta.size_after;
  console.log(`    database ${mib(dbBytes)} (files under the persist dir, with the WAL: ${mib(cachedFileBytes)})`);
  const counts: Record<string, number> = {};
  for (const table of [
    "persons",
    "accounts",
    "proxy_links",
    "organisations",
    "offerings",
    "slots",
    "bookings",
    "notifications",
  ]) {
    counts[table] = (await db.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;
  }
  const byStatus = (
    await db.prepare("SELECT status, count(*) AS n FROM bookings GROUP BY status ORDER BY n DESC").all<{
      status: string;
      n: number;
    }>()
  ).results;
  console.log(
    `    ${Object.entries(counts)
      .map(([t, n]) => `${t} ${n.toLocaleString("en")}`)
      .join(", ")}`,
  );
  console.log(`    bookings by status: ${byStatus.map((r) => `${r.status} ${r.n.toLocaleString("en")}`).join(", ")}`);

  // ---- what the load sends
  const careOfferings: string[] = [];
  for (let o = 0; o < F.offerings; o++) if (isCare(o)) careOfferings.push(offeringId(o));
  // Bookable care slots: open, starting between 1 hour and 29 days from now (the window opens 30
  // days before and closes at the start).
  const bookable = (
    await db
      .prepare(
        `SELECT s.rowid - 1 AS s, s.id FROM slots s JOIN offerings o ON o.id = s.offering_id
         WHERE o.kind = 'care' AND s.status = 'open' AND s.starts_at BETWEEN ?1 AND ?2 ORDER BY s.rowid`,
      )
      .bind(at + HOUR, at + 29 * DAY)
      .all<{ s: number; id: string }>()
  ).results;
  if (bookable.length < 100) throw new Error(`only ${bookable.length} bookable care slots`);
  // The load accounts are split: the first half's proxies make the bookings, the second half read
  // their lists. Otherwise every create run grows the very lists "my bookings" then reads, and
  // the 16-connection block would measure longer lists than the 4-connection one.
  const creators = Math.floor(F.accounts / 2);
  const readers = cookies.slice(creators);
  if (creators < 1 || readers.length < 1) throw new Error("--accounts must be at least 2");
  /** Managed elders whose proxies are the creating accounts (two per account). */
  const M = 2 * creators;
  let slotsCursor = 0;
  let mineCursor = 0;
  let calendarCursor = 0;
  let feedCursor = 0;
  let bookingCursor = 0;
  let skipped = 0;
  /**
   * Request i books managed elder m = i mod M (by their proxy's session) on bookable slot
   * (m × 7919 + ⌊i / M⌋) mod L: a given elder never gets the same slot twice within a run, and a
   * slot the fixture already booked them on is skipped, so every request should answer 201.
   */
  const nextBooking = () => {
    for (;;) {
      const i = bookingCursor++;
      const m = i % M;
      const round_ = Math.floor(i / M);
      if (round_ >= bookable.length) throw new Error("ran out of fresh (person, slot) pairs");
      const slot = bookable[(m * 7919 + round_) % bookable.length];
      const p = managedPerson(m);
      if (!slot) continue;
      if (fixturePersonsOfSlot(slot.s).includes(p)) {
        skipped++;
        continue;
      }
      return { slotId: slot.id, personId: personId(p), cookie: cookies[Math.floor(m / 2)] ?? "" };
    }
  };
  const outcomes = new Map<string, number>();
  const tally = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);

  const kib = (body: string) => `${(Buffer.byteLength(body) / 1024).toFixed(1)} KB`;
  const endpoints: Endpoint[] = [
    { name: "baseline text", path: "/baseline/text" },
    { name: BARE_D1, path: "/baseline/bare-d1" },
    { name: BASELINE_D1, path: "/baseline/d1" },
    {
      name: "offering slots",
      path: `/api/offerings/${careOfferings[0]}/slots`,
      next: () => ({
        // Walk the care offerings with a stride, so neighbours in the table are not hit in turn.
        path: `/api/offerings/${careOfferings[(slotsCursor++ * 7) % careOfferings.length]}/slots`,
      }),
      describe: (body) => {
        const slots = (JSON.parse(body) as { slots: Array<{ bookable: boolean }> }).slots;
        return `${slots.length} slots in 30 days (${slots.filter((s) => s.bookable).length} bookable), ${kib(body)}`;
      },
    },
    {
      name: "create booking",
      path: "/api/bookings",
      method: "POST",
      expectStatus: 201,
      next: () => {
        const b = nextBooking();
        return {
          path: "/api/bookings",
          headers: { cookie: b.cookie, "content-type": "application/json" },
          body: JSON.stringify({ slotId: b.slotId, personId: b.personId }),
        };
      },
      onResponse: (status, body) => {
        if (status === 201) tally(/"status":"(\w+)"/.exec(body)?.[1] ?? "201 ?");
        else tally(`${status} ${/"code":"(\w+)"/.exec(body)?.[1] ?? ""}`.trim());
      },
      describe: (body) => `first answer: status ${(JSON.parse(body) as { status: string }).status}, ${kib(body)}`,
    },
    {
      name: "my bookings",
      path: "/api/bookings/mine",
      next: () => ({ path: "/api/bookings/mine", headers: { cookie: readers[mineCursor++ % readers.length] ?? "" } }),
      describe: (body) => `${(JSON.parse(body) as { bookings: unknown[] }).bookings.length} upcoming, ${kib(body)}`,
    },
    {
      // What a resident opens first: a community's events for the next 30 days, signed out.
      name: "events calendar",
      path: `/api/events?community=${COMMUNITIES[0]?.id ?? ""}`,
      next: () => ({ path: `/api/events?community=${COMMUNITIES[calendarCursor++ % COMMUNITIES.length]?.id ?? ""}` }),
      describe: (body) =>
        `${(JSON.parse(body) as { items: unknown[] }).items.length} occurrences in 30 days, ${kib(body)}`,
    },
    {
      // What a subscribed phone calendar fetches every few hours: a community's feed.
      name: "events iCal feed",
      path: `/api/event-feeds/calendar.ics?community=${COMMUNITIES[0]?.id ?? ""}`,
      next: () => ({
        path: `/api/event-feeds/calendar.ics?community=${COMMUNITIES[feedCursor++ % COMMUNITIES.length]?.id ?? ""}`,
      }),
      describe: (body) => `${body.split("BEGIN:VEVENT").length - 1} events, ${kib(body)}`,
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

  step(`checking every endpoint answers (${base})`);
  const facts: Record<string, string> = {};
  for (const e of endpoints) {
    const body = await checkOnce(base, e);
    if (e.describe) facts[e.name] = e.describe(body);
  }

  // Unrecorded warm-up at the highest concurrency: JIT, SQLite's and the OS's page caches (the
  // first baseline run otherwise reads a cold 300 MB file and looks slow).
  const warmS = Math.min(3, DURATION_S);
  const warmConnections = Math.max(...CONNECTIONS);
  step(`warm-up: every endpoint for ${warmS} s at ${warmConnections} connections (not recorded)`);
  for (const e of endpoints) await load(base, e, warmConnections, warmS, REQUEST_TIMEOUT_S);

  const baselineD1 = endpoints.find((e) => e.name === BASELINE_D1);
  const baselineText = endpoints.find((e) => e.name === "baseline text");
  const bareD1 = endpoints.find((e) => e.name === BARE_D1);
  if (!baselineD1 || !baselineText || !bareD1) throw new Error("no baseline endpoints");
  const measured = endpoints.filter((e) => !e.path.startsWith("/baseline/"));
  const rows: BenchRow[] = [];
  const baselines = new Map<number, BaselineSummary>();
  const outcomesByConnections = new Map<number, Record<string, number>>();
  for (const connections of CONNECTIONS) {
    // The references once, then each endpoint alternating with the baseline D1 read in slices
    // (`loadAlternating`): each ratio compares the endpoint with the baseline measured in between
    // its own slices, so a change in the machine's load moves both sides alike.
    const block: BenchRow[] = [];
    for (const e of [baselineText, bareD1]) {
      step(`load: ${e.name}, ${connections} connection(s), ${DURATION_S} s`);
      const r = await load(base, e, connections, DURATION_S, REQUEST_TIMEOUT_S);
      block.push({ ...toRow(e.name, e.path, connections, r), baselineReqPerSec: null, baselineP99Ms: null });
    }
    for (const e of measured) {
      step(
        `load: ${e.name} and ${BASELINE_D1}, ${connections} connection(s), ${SLICES} × ${DURATION_S / SLICES} s each, alternating`,
      );
      outcomes.clear();
      const {
        endpoint: row,
        baseline,
        pairs,
      } = await loadAlternating(base, e, baselineD1, connections, DURATION_S, SLICES, REQUEST_TIMEOUT_S);
      for (const r of [row, baseline]) {
        if (r.errors + r.timeouts + r.non2xx > 0) {
          console.warn(`  ! ${r.endpoint}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
        }
      }
      if (e.onResponse) {
        const o = Object.fromEntries(outcomes);
        outcomesByConnections.set(connections, o);
        console.log(`    outcomes: ${JSON.stringify(o)}`);
      }
      block.push(
        { ...baseline, endpoint: `${BASELINE_D1} (beside ${e.name})`, baselineReqPerSec: null, baselineP99Ms: null },
        {
          ...row,
          baselineReqPerSec: baseline.reqPerSec,
          baselineP99Ms: baseline.p99Ms,
          // Req/s: the median over the slice pairs — a burst on the shared VM that hits one slice
          // moves one pair, not the verdict. p99: of all slices' requests on each side (a tail
          // needs many requests; one slice's p99 is its ten slowest or so).
          rpsRatioToBaselineD1: round(median(pairs.map((x) => x.rpsRatio)), 3),
          p99RatioToBaselineD1: baseline.p99Ms > 0 ? round(row.p99Ms / baseline.p99Ms, 2) : null,
          totalRpsRatio: baseline.reqPerSec > 0 ? round(row.reqPerSec / baseline.reqPerSec, 3) : null,
          pairs,
        },
      );
    }
    const baseRows = block.filter((r) => r.path === baselineD1.path);
    const rpsList = baseRows.map((r) => r.reqPerSec);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
    baselines.set(connections, {
      runs: baseRows.length,
      reqPerSec: round(mean(rpsList)),
      p50Ms: round(mean(baseRows.map((r) => r.p50Ms))),
      p99Ms: round(mean(baseRows.map((r) => r.p99Ms))),
      minReqPerSec: Math.min(...rpsList),
      maxReqPerSec: Math.max(...rpsList),
      /** Largest change between the baselines beside two consecutive endpoints, as a fraction of the earlier. */
      maxStepDrift: round(Math.max(0, ...rpsList.slice(1).map((x, i) => Math.abs(x / (rpsList[i] || x) - 1))), 3),
    });
    rows.push(...block);
  }

  const verdicts: Verdict[] = rows
    .filter((r) => !r.path.startsWith("/baseline/"))
    .map((r) => ({
      connections: r.connections,
      endpoint: r.endpoint,
      rpsOk: (r.rpsRatioToBaselineD1 ?? 0) >= TARGET_RPS_RATIO,
      p99Ok: (r.p99RatioToBaselineD1 ?? Number.POSITIVE_INFINITY) <= TARGET_P99_RATIO,
    }));

  // ---- database after the run (grows with the bookings the load created)
  const runDbBytes = (await db.prepare("SELECT 1").run()).meta.size_after;
  const bookingsAfter = (await db.prepare("SELECT count(*) AS n FROM bookings").first<{ n: number }>())?.n ?? 0;
  await disposeWorkers();

  console.log();
  printTable(rows);
  console.log();
  for (const [name, fact] of Object.entries(facts)) console.log(`${name}: ${fact}`);
  for (const [connections, b] of baselines) {
    const note =
      b.maxStepDrift > 0.25
        ? " — the machine's load changed during the block (each ratio uses the baseline between its own slices)"
        : "";
    console.log(
      `baseline D1 read at ${connections} connection(s): ${b.runs} runs, mean ${b.reqPerSec.toFixed(0)} req/s ` +
        `(${b.minReqPerSec.toFixed(0)}–${b.maxReqPerSec.toFixed(0)}), p99 ${b.p99Ms} ms; largest step between the baselines beside consecutive endpoints ` +
        `${(b.maxStepDrift * 100).toFixed(0)}%${note}`,
    );
  }
  for (const row of rows.filter((x) => x.path === "/baseline/bare-d1")) {
    const b = baselines.get(row.connections);
    if (b) {
      console.log(
        `bare Worker D1 read (no Hono) at ${row.connections} connection(s): ${row.reqPerSec.toFixed(0)} req/s, ` +
          `${(row.reqPerSec / b.reqPerSec).toFixed(2)}× the Hono baseline's`,
      );
    }
  }
  console.log(
    "× base req/s: median over the endpoint's slices of its req/s ÷ the baseline D1 read's (a bare Hono route) in the slices around it; × base p99: over all slices of each; same connections.",
  );
  for (const v of verdicts) {
    if (!v.rpsOk || !v.p99Ok) {
      console.log(
        `✖ ${v.endpoint} at ${v.connections} connections misses the target:` +
          `${v.rpsOk ? "" : ` req/s < ${TARGET_RPS_RATIO * 100}% of baseline`}${v.p99Ok ? "" : ` p99 > ${TARGET_P99_RATIO}× baseline`}`,
      );
    }
  }
  if (skipped > 0)
    console.log(`create booking: skipped ${skipped} (person, slot) pairs the fixture had already booked`);

  const finishedAt = new Date();
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    totalSeconds: round((finishedAt.getTime() - started) / 1000),
    options: { durationSeconds: DURATION_S, connections: CONNECTIONS, rebuild: args.rebuild },
    machine: machine(loadAtStart),
    worker: {
      compatibilityDate: toml.date,
      compatibilityFlags: toml.flags,
      bundleBytes: bundle.raw,
      bundleGzipBytes: bundle.gzipped,
      bundleFiles: bundle.files,
    },
    fixture: {
      parameters: F,
      counts,
      bookingsByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      cacheKey: key,
      fromCache,
      builtAt: meta.builtAt,
      seedSeconds: meta.seedSeconds,
      seedSteps: meta.steps,
      copySeconds,
      shiftHours: round(shiftMs / HOUR, 2),
      shiftSeconds,
      dbBytes,
      dbFileBytes: cachedFileBytes,
      dbBytesAfterRun: runDbBytes,
      bookingsAfterRun: bookingsAfter,
    },
    responses: facts,
    createBookingOutcomes: Object.fromEntries(outcomesByConnections),
    baselineD1: Object.fromEntries(baselines),
    results: rows,
    verdicts,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `bookings-${finishedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeResultsMarkdown(report);
  console.log(
    `\nwrote ${path.relative(ROOT, file)} and ${path.relative(ROOT, RESULTS_MD)}; total ${report.totalSeconds} s`,
  );
}

// ---------------------------------------------------------------- bench/results.md

const START_MARK = "<!-- bench:bookings:start -->";
const END_MARK = "<!-- bench:bookings:end -->";

type Report = {
  startedAt: string;
  totalSeconds: number;
  options: { durationSeconds: number; connections: number[] };
  machine: ReturnType<typeof machine>;
  worker: { bundleBytes: number; bundleGzipBytes: number };
  fixture: {
    counts: Record<string, number>;
    bookingsByStatus: Record<string, number>;
    fromCache: boolean;
    builtAt: string;
    seedSeconds: number;
    copySeconds: number;
    shiftHours: number;
    dbBytes: number;
    dbFileBytes: number;
    dbBytesAfterRun: number;
    bookingsAfterRun: number;
  };
  responses: Record<string, string>;
  createBookingOutcomes: Record<string, Record<string, number>>;
  baselineD1: Record<string, BaselineSummary>;
  results: BenchRow[];
  verdicts: Verdict[];
};

/** " (0.47–0.58)": the range of a row's slice-pair ratios (req/s or p99), beside the ratio. */
function spread(row: BenchRow, key: "rpsRatio" | "p99Ratio"): string {
  const xs = (row.pairs ?? []).map((p) => p[key]);
  return xs.length ? ` (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})` : "";
}

/** Replaces this bench's section of bench/results.md (other sections are left alone). */
function writeResultsMarkdown(r: Report) {
  const m = r.machine;
  const f = r.fixture;
  const n = (x: number) => x.toLocaleString("en");
  const lines: string[] = [
    START_MARK,
    "## Bookings at scale — `npm run bench:bookings`",
    "",
    `Run ${r.startedAt.slice(0, 16).replace("T", " ")} UTC, ${r.options.durationSeconds} s per load run, ` +
      `total ${r.totalSeconds} s (fixture ${f.fromCache ? `from cache, built ${f.builtAt.slice(0, 10)}` : "built in this run"}).`,
    "",
    `- **Machine**: ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
      `load average ${m.loadAverageAtStart.join(" / ")} at start, ${m.loadAverageAtEnd.join(" / ")} at end ` +
      "(autocannon, Node and workerd share these cores).",
    `- **Fixture**: ${n(f.counts.persons ?? 0)} persons, ${n(f.counts.accounts ?? 0)} accounts, ` +
      `${n(f.counts.proxy_links ?? 0)} proxy links, ${n(f.counts.organisations ?? 0)} organisations, ` +
      `${n(f.counts.offerings ?? 0)} offerings, ${n(f.counts.slots ?? 0)} slots, ${n(f.counts.bookings ?? 0)} bookings ` +
      `(${Object.entries(f.bookingsByStatus)
        .map(([s, c]) => `${s} ${n(c)}`)
        .join(", ")}), ${n(f.counts.notifications ?? 0)} notifications (reminders already sent).`,
    `- **Seeding**: ${f.seedSeconds} s to build (migrations + SQL generation), then cached in \`bench/.cache/\`; ` +
      `each run copies it (${f.copySeconds} s here)${f.shiftHours ? ` and shifts slot times by ${hoursText(f.shiftHours * HOUR)} (the fixture's clock reads 20:00 Shanghai in every run)` : ""}.`,
    `- **Database size**: ${mib(f.dbBytes)} (D1's \`size_after\`: pages × page size); the SQLite files under the ` +
      `persist dir, WAL included, take ${mib(f.dbFileBytes)}; ${mib(f.dbBytesAfterRun)} after this run's writes ` +
      `(${n(f.bookingsAfterRun)} bookings).`,
    `- **Worker bundle**: ${mib(r.worker.bundleBytes)} raw, ${(r.worker.bundleGzipBytes / 1024).toFixed(1)} KiB gzipped ` +
      "(`wrangler deploy --dry-run` output, gzip -9).",
    `- **Targets**: each endpoint ≥ ${TARGET_RPS_RATIO * 100} % of the baseline's req/s and p99 ≤ ${TARGET_P99_RATIO}× ` +
      "the baseline's p99 at the same connection count. Baseline, as issue #4 defines it: a bare Hono route " +
      "(`bench/baseline-worker.ts`) doing one D1 primary-key read of a random booking " +
      `(\`SELECT … FROM bookings WHERE id = ?\`) on the same database, run alternating with each endpoint in ${SLICES} ` +
      "slices of each (baseline, endpoint, baseline, …, baseline). The req/s ratio is the median over the " +
      "endpoint's slices of its req/s ÷ the mean of the two baseline slices around it (in brackets the lowest " +
      "and highest); the p99 ratio and the other columns are over all slices of each side (merged histograms), " +
      "in brackets the lowest and highest of the slice pairs' p99 ratios. " +
      "The same read from a plain fetch handler (no Hono) is measured once per block for reference.",
    "",
  ];
  for (const connections of r.options.connections) {
    const b = r.baselineD1[String(connections)];
    lines.push(
      `### ${connections} connections`,
      "",
      "| endpoint | req/s | p50 ms | p99 ms | err / non-2xx | baseline beside it: req/s, p99 ms | × base req/s | × base p99 | target |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    );
    const block = r.results.filter((x) => x.connections === connections);
    const text = block.find((x) => x.path === "/baseline/text");
    if (text) {
      lines.push(
        `| baseline text (bare route) | ${text.reqPerSec.toFixed(0)} | ${ms(text.p50Ms)} | ${ms(text.p99Ms)} | ` +
          `${text.errors + text.timeouts} / ${text.non2xx} | | | | |`,
      );
    }
    const bare = block.find((x) => x.path === "/baseline/bare-d1");
    if (bare) {
      lines.push(
        `| bare Worker D1 read (no Hono; reference) | ${bare.reqPerSec.toFixed(0)} | ${ms(bare.p50Ms)} | ${ms(bare.p99Ms)} | ` +
          `${bare.errors + bare.timeouts} / ${bare.non2xx} | | ${b ? (bare.reqPerSec / b.reqPerSec).toFixed(2) : "–"} | ` +
          `${b ? (bare.p99Ms / b.p99Ms).toFixed(2) : "–"} | |`,
      );
    }
    if (b) {
      const errs = block.filter((x) => x.path === "/baseline/d1");
      lines.push(
        `| **baseline D1 read** (mean beside the ${b.runs} endpoints) | ${b.reqPerSec.toFixed(0)} | ${ms(b.p50Ms)} | ${ms(b.p99Ms)} | ` +
          `${errs.reduce((s, x) => s + x.errors + x.timeouts, 0)} / ${errs.reduce((s, x) => s + x.non2xx, 0)} | ` +
          `${b.minReqPerSec.toFixed(0)}–${b.maxReqPerSec.toFixed(0)} req/s beside the endpoints | 1 | 1 | |`,
      );
    }
    for (const row of block.filter((x) => !x.path.startsWith("/baseline/"))) {
      const v = r.verdicts.find((x) => x.connections === connections && x.endpoint === row.endpoint);
      const target = v
        ? v.rpsOk && v.p99Ok
          ? "✅ met"
          : `❌ ${[!v.rpsOk && "req/s", !v.p99Ok && "p99"].filter(Boolean).join(" + ")}`
        : "";
      lines.push(
        `| ${row.endpoint} | ${row.reqPerSec.toFixed(0)} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ` +
          `${row.errors + row.timeouts} / ${row.non2xx} | ${row.baselineReqPerSec?.toFixed(0) ?? "–"}, ` +
          `${row.baselineP99Ms?.toFixed(0) ?? "–"} | **${row.rpsRatioToBaselineD1?.toFixed(2) ?? "–"}**${spread(row, "rpsRatio")} | ` +
          `**${row.p99RatioToBaselineD1?.toFixed(2) ?? "–"}**${spread(row, "p99Ratio")} | ${target} |`,
      );
    }
    if (text) {
      // The runtime's own pauses (bench/results.md, sixth session): even a route that answers
      // a constant has a tail; an endpoint that serves fewer requests per second has a larger
      // share of its requests caught in one.
      lines.push(
        "",
        `Pauses of the runtime itself: the bare route above (no D1, no app) answered 99.9 % within ` +
          `${ms(text.p999Ms)} ms and its slowest in ${ms(text.maxMs)} ms at this load.`,
      );
    }
    if (b && b.maxStepDrift > 0.25) {
      lines.push(
        "",
        `⚠ The baseline moved by up to ${(b.maxStepDrift * 100).toFixed(0)} % from one endpoint's slices to the next in this block ` +
          "(other processes on the machine); each ratio compares an endpoint with the baseline measured between " +
          "its own slices.",
      );
    }
    lines.push("");
    const o = r.createBookingOutcomes[String(connections)];
    if (o)
      lines.push(
        `Create booking outcomes: ${Object.entries(o)
          .map(([k, c]) => `${k} ${n(c)}`)
          .join(", ")}.`,
      );
    lines.push("");
  }
  lines.push(
    "Responses: " +
      Object.entries(r.responses)
        .map(([k, v]) => `${k} — ${v}`)
        .join("; ") +
      ".",
    "",
    END_MARK,
  );
  const section = lines.join("\n");
  const existing = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, "utf8") : "# Benchmark results\n";
  const a = existing.indexOf(START_MARK);
  const z = existing.indexOf(END_MARK);
  const next =
    a >= 0 && z > a
      ? `${existing.slice(0, a)}${section}${existing.slice(z + END_MARK.length)}`
      : `${existing.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS_MD, next);
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
