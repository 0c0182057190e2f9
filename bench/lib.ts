// Shared by the bench scripts: bundle the real Worker, start it on workerd through the Miniflare
// API next to a baseline Worker on the same D1, apply migrations, insert rows, drive autocannon
// and print a table. See bench/README.md.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { Log, LogLevel, Miniflare } from "miniflare";
import { COMMUNITIES } from "../db/seed/demo";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const RESULTS_DIR = path.join(ROOT, "bench", "results");

export function positiveInt(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
  return n;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** autocannon records latency in whole milliseconds. */
export const ms = (n: number) => (n < 1 ? "<1" : n.toFixed(0));

// ---------------------------------------------------------------- build and start

export function run(command: string, commandArgs: string[], timeoutMs: number) {
  const result = spawnSync(command, commandArgs, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${commandArgs.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** compatibility_date, compatibility_flags and the top-level [vars] from wrangler.toml (simple string values only). */
export function readWranglerToml() {
  const text = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  const flagsRaw = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? "";
  const flags = [...flagsRaw.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "").filter(Boolean);
  if (!date) throw new Error("compatibility_date not found in wrangler.toml");
  const vars: Record<string, string> = {};
  const varsSection = /^\[vars\]\s*$([\s\S]*?)(?=^\[)/m.exec(text)?.[1] ?? "";
  for (const m of varsSection.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"\s*$/gm)) {
    if (m[1] !== undefined && m[2] !== undefined) vars[m[1]] = m[2];
  }
  return { date, flags, vars };
}

/**
 * Bundles the real Worker (`worker/index.ts`) with `wrangler deploy --dry-run --outdir` —
 * nothing is deployed. Creates an empty `dist/client` first (wrangler refuses a missing assets dir).
 */
export function bundleWorker(bundleDir: string) {
  mkdirSync(path.join(ROOT, "dist", "client"), { recursive: true });
  run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", bundleDir, "--env", ""], 180_000);
  return { bundleDir, scriptPath: path.join(bundleDir, "index.js") };
}

/** Raw and gzipped bytes of the modules in a wrangler --outdir (source maps and READMEs left out). */
export function bundleSize(bundleDir: string) {
  let raw = 0;
  let gzipped = 0;
  const files: string[] = [];
  for (const file of readdirSync(bundleDir, { recursive: true, encoding: "utf8" })) {
    const full = path.join(bundleDir, file);
    if (!statSync(full).isFile() || /\.(map|md)$/.test(file)) continue;
    const bytes = readFileSync(full);
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
    files.push(file);
  }
  return { raw, gzipped, files };
}

/**
 * The bundled Worker ("linli") and a baseline Worker routed at `/baseline/*`, in one Miniflare
 * instance on 127.0.0.1 and a random port, both bound to the same local D1 `DB`.
 */
export function startWorkers(options: {
  scriptPath: string;
  bundleDir: string;
  persistDir: string;
  baselineScript: string;
  baselineBindings: Record<string, string>;
}) {
  const toml = readWranglerToml();
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    cf: false,
    // workerd's own warnings and errors (a dropped connection, an isolate restart) belong in the
    // run's output; Miniflare's default logger discards them.
    log: new Log(LogLevel.WARN),
    d1Persist: options.persistDir,
    workers: [
      {
        name: "linli",
        modules: true,
        scriptPath: options.scriptPath,
        // Module names are relative to this; the default (cwd) would need ".." to reach the temp dir.
        modulesRoot: options.bundleDir,
        compatibilityDate: toml.date,
        compatibilityFlags: toml.flags,
        d1Databases: { DB: "linli-bench" },
        bindings: { ...toml.vars, DEV_OUTBOX: "true" },
      },
      {
        name: "baseline",
        modules: true,
        script: options.baselineScript,
        compatibilityDate: toml.date,
        compatibilityFlags: toml.flags,
        d1Databases: { DB: "linli-bench" },
        bindings: options.baselineBindings,
        routes: ["*/baseline/*"],
      },
    ],
  });
  return { mf, toml };
}

export type D1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;

export async function migrate(db: D1) {
  const dir = path.join(ROOT, "db", "migrations");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = readFileSync(path.join(dir, file), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
  return files;
}

/** The demo's eleven communities, which both benchmark fixtures build on. */
export async function insertDemoCommunities(db: D1) {
  await insertRows(
    db,
    "communities",
    ["id", "code", "name", "name_en", "address", "phone", "lat", "lng", "created_at"],
    COMMUNITIES.map((c) => [
      c.id,
      c.code,
      c.name,
      c.nameEn,
      c.address ?? null,
      c.phone ?? null,
      c.lat,
      c.lng,
      c.createdAt,
    ]),
  );
}

/**
 * Inserts rows with one prepared statement per chunk of 1,000 rows: the rows travel as one JSON
 * parameter and SQLite unpacks them with json_each. Few calls through Miniflare's synchronous
 * proxy (each prepare()/bind() is one; thousands of them proved flaky on a loaded machine), one
 * parameter per statement (D1 allows 100), and fast.
 */
export async function insertRows(db: D1, table: string, columns: string[], rows: unknown[][]) {
  const values = columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ");
  const stmt = db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) SELECT ${values} FROM json_each(?)`);
  const statements = [];
  for (let i = 0; i < rows.length; i += 1000) statements.push(stmt.bind(JSON.stringify(rows.slice(i, i + 1000))));
  await db.batch(statements);
  const counted = await db.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  if (counted?.n !== rows.length) throw new Error(`${table}: expected ${rows.length} rows, found ${counted?.n}`);
}

// ---------------------------------------------------------------- load

/** One request to send; `next()` on an endpoint makes a fresh one for every request. */
export interface RequestSpec {
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Endpoint {
  name: string;
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Varies path, headers and body per request (autocannon's setupRequest); `path`/`headers` are defaults. */
  next?: () => RequestSpec;
  /** Status the check before the run insists on (default 200). */
  expectStatus?: number;
  /** Sees every response during the load run (e.g. to tally outcomes); slows the load generator a little. */
  onResponse?: (status: number, body: string) => void;
  /** Extra facts from one response, shown under the table. */
  describe?: (body: string) => string;
}

export interface Row {
  endpoint: string;
  path: string;
  connections: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** The 99.9th percentile: where the runtime's own pauses show (bench/results.md). */
  p999Ms: number;
  maxMs: number;
  bytesPerResponse: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  rpsRatioToBaselineD1: number | null;
  p99RatioToBaselineD1: number | null;
}

function spec(endpoint: Endpoint): RequestSpec {
  const n = endpoint.next?.();
  return { path: n?.path ?? endpoint.path, headers: { ...endpoint.headers, ...n?.headers }, body: n?.body };
}

/** Checks the endpoint answers `expectStatus` (fails loudly otherwise), then warms it with 10 requests. */
export async function checkOnce(base: string, endpoint: Endpoint): Promise<string> {
  const send = async () => {
    const s = spec(endpoint);
    const res = await fetch(new URL(s.path, base), {
      method: endpoint.method ?? "GET",
      headers: s.headers,
      body: s.body,
      signal: AbortSignal.timeout(30_000),
    });
    return { res, body: await res.text(), path: s.path };
  };
  const first = await send();
  const expected = endpoint.expectStatus ?? 200;
  if (first.res.status !== expected) {
    throw new Error(
      `${endpoint.name} (${endpoint.method ?? "GET"} ${first.path}) answered ${first.res.status}, expected ${expected}:\n${first.body.slice(0, 2000)}`,
    );
  }
  // A few sequential requests to warm the isolate and SQLite's page cache.
  for (let i = 0; i < 10; i++) await send();
  return first.body;
}

export async function load(
  base: string,
  endpoint: Endpoint,
  connections: number,
  durationS: number,
  timeoutS: number,
  /** Leave the result unaggregated (histograms encoded) for `autocannon.aggregateResult`. */
  raw = false,
): Promise<autocannon.Result> {
  const options: autocannon.Options = {
    url: new URL(endpoint.path, base).toString(),
    connections,
    duration: durationS,
    timeout: timeoutS,
    method: endpoint.method ?? "GET",
    headers: endpoint.headers ?? {},
    skipAggregateResult: raw,
  };
  if (endpoint.next || endpoint.onResponse) {
    const onResponse = endpoint.onResponse;
    options.requests = [
      {
        method: endpoint.method ?? "GET",
        ...(endpoint.next
          ? {
              setupRequest: (req: autocannon.Request) => {
                const s = spec(endpoint);
                return { ...req, path: s.path, headers: { ...req.headers, ...s.headers }, body: s.body };
              },
            }
          : {}),
        ...(onResponse ? { onResponse: (status: number, body: string) => onResponse(status, body) } : {}),
      },
    ];
  }
  return autocannon(options);
}

/** autocannon's own merge of unaggregated results (`load(…, raw = true)`); untyped in @types/autocannon. */
const aggregateResult = (
  autocannon as unknown as { aggregateResult(results: unknown[], opts: object): autocannon.Result }
).aggregateResult;

/**
 * Runs `endpoint` and `baseline` in alternating slices — baseline, endpoint, baseline, …,
 * endpoint, baseline — `slices` of each and one more baseline, `durationS / slices` seconds each.
 * Gives each side as one row (requests, req/s and bytes over all its slices; latency percentiles
 * from their merged histograms, exact) and, per endpoint slice, its req/s and p99 as a ratio to
 * the mean of the two baseline slices around it. Alternating every few seconds, a change in the
 * machine's load falls on both sides of a ratio alike; back to back, two 10-second baseline runs
 * here differed by up to a third.
 */
export async function loadAlternating(
  base: string,
  endpoint: Endpoint,
  baseline: Endpoint,
  connections: number,
  durationS: number,
  slices: number,
  timeoutS: number,
): Promise<{ endpoint: Row; baseline: Row; pairs: Array<{ rpsRatio: number; p99Ratio: number }> }> {
  const sliceS = durationS / slices;
  const mine: autocannon.Result[] = [];
  const theirs: autocannon.Result[] = [];
  for (let i = 0; i < slices; i++) {
    theirs.push(await load(base, baseline, connections, sliceS, timeoutS, true));
    mine.push(await load(base, endpoint, connections, sliceS, timeoutS, true));
  }
  theirs.push(await load(base, baseline, connections, sliceS, timeoutS, true));
  const merged = (e: Endpoint, results: autocannon.Result[]): Row => {
    const r = aggregateResult(results, { url: new URL(e.path, base).toString(), connections });
    const row = toRow(e.name, e.path, connections, r);
    return { ...row, reqPerSec: round(r.requests.total / (results.length * sliceS)) };
  };
  const own = mine.map((r) => merged(endpoint, [r]));
  const around = theirs.map((r) => merged(baseline, [r]));
  const pairs = own.map((row, i) => {
    const before = around[i] ?? row;
    const after = around[i + 1] ?? row;
    return {
      rpsRatio: round(row.reqPerSec / ((before.reqPerSec + after.reqPerSec) / 2), 3),
      p99Ratio: round(row.p99Ms / ((before.p99Ms + after.p99Ms) / 2), 2),
    };
  });
  return { endpoint: merged(endpoint, mine), baseline: merged(baseline, theirs), pairs };
}

/** The median of a non-empty list (the mean of the middle two for an even length). */
export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function toRow(name: string, path: string, connections: number, r: autocannon.Result): Row {
  return {
    endpoint: name,
    path,
    connections,
    requests: r.requests.total,
    reqPerSec: round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    p999Ms: r.latency.p99_9,
    maxMs: r.latency.max,
    bytesPerResponse: r.requests.total > 0 ? Math.round(r.throughput.total / r.requests.total) : 0,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    rpsRatioToBaselineD1: null,
    p99RatioToBaselineD1: null,
  };
}

export function printTable(rows: Row[]) {
  const header = [
    "endpoint",
    "conns",
    "req/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "KB/resp",
    "err/non2xx",
    "× base rps",
    "× base p99",
  ];
  const lines = rows.map((r) => [
    r.endpoint,
    String(r.connections),
    r.reqPerSec.toFixed(0),
    ms(r.p50Ms),
    ms(r.p99Ms),
    r.maxMs.toFixed(0),
    (r.bytesPerResponse / 1024).toFixed(1),
    `${r.errors + r.timeouts}/${r.non2xx}`,
    r.rpsRatioToBaselineD1 === null ? "–" : r.rpsRatioToBaselineD1.toFixed(2),
    r.p99RatioToBaselineD1 === null ? "–" : r.p99RatioToBaselineD1.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(fmt(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(fmt(l));
}

export function machine(loadAverageAtStart: number[]) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
  };
}
