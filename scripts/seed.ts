/**
 * Loads the Jinzhong Street demo data into the LOCAL D1 through wrangler: places, people, the
 * service circle's facilities, a demo walking network (only when no network is there yet) and the
 * elderly-care catalogue with two weeks of slots from today (Asia/Shanghai) and a few bookings, and
 * the demo community events, job postings, training courses and clinics.
 * Idempotent: rows already present are left alone, so running it twice changes nothing; running it
 * on a later day only adds that day's new slots. Migrations must be applied first
 * (`npm run db:migrate`, with the same `--persist-to` when one is given).
 *
 * @example
 * npm run db:seed
 * npx tsx scripts/seed.ts --if-empty --persist-to .wrangler/test-state
 * npx tsx scripts/seed.ts --today 2026-12-01   # slots as if run on that Shanghai date
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { CARE_SLOT_DAYS, demoCare } from "../db/seed/care";
import { CLINIC_SLOT_DAYS, demoClinics } from "../db/seed/clinics";
import { demoCourses } from "../db/seed/courses";
import { DEMO_SEED } from "../db/seed/demo";
import { demoEvents } from "../db/seed/events";
import { FACILITIES } from "../db/seed/facilities";
import { demoJobs } from "../db/seed/jobs";
import { demoWalkNetwork } from "../db/seed/network";
import {
  careStatements,
  clinicStatements,
  courseStatements,
  eventStatements,
  facilityStatements,
  jobStatements,
  seedStatements,
  sqlLiteral,
  walkNetworkStatements,
} from "../db/seed/sql";
import { fromShanghai, shanghaiDate } from "../worker/lib/shanghai";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const USAGE = "usage: tsx scripts/seed.ts [--if-empty] [--persist-to <dir>] [--today YYYY-MM-DD]";

function fail(message: string, detail = ""): never {
  console.error(`db:seed failed: ${message}`);
  if (detail.trim()) console.error(detail.trim());
  process.exit(1);
}

function readFlags() {
  try {
    return parseArgs({
      options: {
        "if-empty": { type: "boolean", default: false },
        "persist-to": { type: "string" },
        today: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), USAGE);
  }
}

/** The Shanghai date the slots count from: `--today`, else the current one. */
function readToday(value: string | undefined): string {
  if (value === undefined) return shanghaiDate(Date.now());
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? fromShanghai(value, "12:00") : Number.NaN;
  if (Number.isNaN(at) || shanghaiDate(at) !== value) fail(`--today ${value} is not a date`, USAGE);
  return value;
}

const flags = readFlags();
const today = readToday(flags.today);
const persistTo = flags["persist-to"] ? resolve(flags["persist-to"]) : undefined;
const target = persistTo ?? "the default .wrangler state";
const migrateCommand = persistTo
  ? `npx wrangler d1 migrations apply DB --local --persist-to ${persistTo}`
  : "npm run db:migrate";

const WranglerResults = z.array(z.object({ results: z.array(z.record(z.string(), z.unknown())) }));

/** Runs `wrangler d1 execute DB --local --json …` and returns each statement's result rows. */
function d1Execute(args: string[]): Record<string, unknown>[][] {
  const persist = persistTo ? ["--persist-to", persistTo] : [];
  const run = spawnSync("npx", ["wrangler", "d1", "execute", "DB", "--local", ...persist, "--json", ...args], {
    cwd: ROOT,
    shell: false,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  if (run.error) fail(`could not start wrangler (${run.error.message})`);
  if (run.status !== 0) {
    const output = `${run.stdout}\n${run.stderr}`;
    const hint = /no such table/.test(output) ? `: apply migrations first (${migrateCommand})` : "";
    fail(`wrangler d1 execute exited with ${run.status}${hint}`, output);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    fail("wrangler did not print JSON", `${run.stdout}\n${run.stderr}`);
  }
  const results = WranglerResults.safeParse(parsed);
  if (!results.success) fail("unexpected output from wrangler", run.stdout);
  return results.data.map((r) => r.results);
}

const demoPhones = DEMO_SEED.accounts.map((a) => sqlLiteral(a.phone)).join(", ");
const [existing = [], phoneOwners = [], networks = []] = d1Execute([
  "--command",
  `SELECT count(*) AS n FROM communities; SELECT id, phone FROM accounts WHERE phone IN (${demoPhones}); ` +
    "SELECT count(*) AS n FROM walk_networks",
]);
const communityCount = Number(existing[0]?.n ?? 0);
const networkPresent = Number(networks[0]?.n ?? 0) > 0;

if (flags["if-empty"] && communityCount > 0) {
  console.log(`db:seed skipped (--if-empty): ${communityCount} communities already in ${target}`);
  process.exit(0);
}

// A demo phone that signed up before seeding owns another account id; the file runs as one
// transaction, so the seed would roll back on the first foreign key to the demo id. Say why.
const demoIds = new Set(DEMO_SEED.accounts.map((a) => a.id));
const taken = phoneOwners.filter((row) => typeof row.id === "string" && !demoIds.has(row.id));
if (taken.length > 0) {
  const list = taken.map((row) => `${String(row.phone)} (${String(row.id)})`).join(", ");
  fail(`demo phone numbers already belong to other accounts: ${list}`);
}

// The walking network goes in whole or not at all: its members and distances only make sense
// with its own graph, so a network already there (seeded, or imported by a street admin) stays.
const walkNetwork = demoWalkNetwork(DEMO_SEED.compounds, FACILITIES);
const care = demoCare(today);
const events = demoEvents(today);
const jobs = demoJobs(today, Date.now());
const courses = demoCourses(today);
const clinics = demoClinics(today);
const statements = [
  ...seedStatements(DEMO_SEED),
  ...facilityStatements(FACILITIES),
  ...(networkPresent ? [] : walkNetworkStatements(walkNetwork)),
  ...careStatements(care),
  ...eventStatements(events),
  ...jobStatements(jobs),
  ...courseStatements(courses),
  ...clinicStatements(clinics),
];
const dir = mkdtempSync(join(tmpdir(), "linli-seed-"));
/** One entry per statement: the inserted row's key, or none when the row was already there. */
let results: Record<string, unknown>[][];
try {
  const file = join(dir, "seed.sql");
  writeFileSync(file, `${statements.join("\n")}\n`);
  results = d1Execute(["--file", file, "--yes"]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const inserted = results.filter((rows) => rows.length > 0).length;
const inserts = statements.filter((s) => s.startsWith("INSERT")).length;
const newSlots = results.filter((rows) => String(rows[0]?.id).startsWith("slt_")).length;

const counts = [
  `${DEMO_SEED.communities.length} communities`,
  `${DEMO_SEED.gridCells.length} grid cells`,
  `${DEMO_SEED.compounds.length} compounds`,
  `${DEMO_SEED.organisations.length} organisations`,
  `${DEMO_SEED.accounts.length} demo accounts`,
  `${FACILITIES.length} facilities`,
  networkPresent
    ? "the walking network already there kept"
    : `a walking network of ${walkNetwork.network.nodeCount} nodes and ${walkNetwork.network.edgeCount} edges ` +
      `with ${walkNetwork.members.length} members and ${walkNetwork.distances.length} distances`,
  `${care.offerings.length} care offerings`,
  `${care.slots.length} slots over ${CARE_SLOT_DAYS} days from ${today} (${newSlots} new)`,
  `${care.bookings.length} demo bookings`,
  `${events.offerings.length} community events with ${events.slots.length} dates`,
  `${jobs.length} job postings`,
  `${courses.offerings.length} training courses with ${courses.sessions.length} sessions`,
  `${clinics.departments.length} clinic departments, ${clinics.doctors.length} doctors and ${clinics.slots.length} appointment slots over ${CLINIC_SLOT_DAYS} days`,
].join(", ");
console.log(`db:seed: ${inserted} rows inserted, ${inserts - inserted} already present (${counts}) in ${target}`);
