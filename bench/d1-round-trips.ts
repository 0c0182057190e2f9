// `npx tsx bench/d1-round-trips.ts [-- --duration 5 --connections 4,16]`: what one more D1 round
// trip costs on workerd/Miniflare, to read the endpoint ratios of the other benches against. A bare
// Worker answers after k sequential primary-key reads, after one batch() of k reads, or after one
// INSERT, on a local D1 table of 100,000 rows; every variant is compared with the single read run
// just before it. Nothing from the app is involved. See bench/README.md.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Miniflare } from "miniflare";
import { type Endpoint, load, positiveInt, readWranglerToml, round } from "./lib";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "4,16" },
  },
  strict: true,
});
const DURATION_S = positiveInt("duration", args.duration, 120);
const CONNECTIONS = args.connections.split(",").map((c) => positiveInt("connections", c.trim(), 64));
const ROWS = 100_000;
const VARIANTS = ["/seq?k=2", "/seq?k=4", "/seq?k=8", "/batch?k=4", "/batch?k=8", "/write"];

const WORKER = `
const q = "SELECT id, v FROM rt WHERE id = ?";
const id = () => "r" + String(Math.floor(Math.random() * ${ROWS})).padStart(6, "0");
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const k = Number(url.searchParams.get("k") ?? 1);
    if (url.pathname === "/seq") {
      let row;
      for (let i = 0; i < k; i++) row = await env.DB.prepare(q).bind(id()).first();
      return Response.json(row);
    }
    if (url.pathname === "/batch") {
      const rows = await env.DB.batch(Array.from({ length: k }, () => env.DB.prepare(q).bind(id())));
      return Response.json(rows.length);
    }
    if (url.pathname === "/write") {
      await env.DB.prepare("INSERT INTO rt_writes (id, at) VALUES (?, ?)").bind(crypto.randomUUID(), Date.now()).run();
      return new Response("ok");
    }
    return new Response("not found", { status: 404 });
  },
};`;

const dir = mkdtempSync(path.join(os.tmpdir(), "linli-bench-rt-"));
const toml = readWranglerToml();
const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  cf: false,
  modules: true,
  script: WORKER,
  compatibilityDate: toml.date,
  compatibilityFlags: toml.flags,
  d1Databases: { DB: "rt" },
  d1Persist: path.join(dir, "d1"),
});
const watchdog = setTimeout(
  () => {
    console.error("✖ watchdog: aborting");
    void mf.dispose().finally(() => process.exit(1));
  },
  (60 + CONNECTIONS.length * (VARIANTS.length * 2 + 1) * (DURATION_S + 10)) * 1000,
);
watchdog.unref();

try {
  const base = (await mf.ready).toString();
  const db = await mf.getD1Database("DB");
  await db.batch([
    db.prepare("CREATE TABLE rt (id TEXT PRIMARY KEY, v TEXT NOT NULL)"),
    db.prepare("CREATE TABLE rt_writes (id TEXT PRIMARY KEY, at INTEGER NOT NULL)"),
    db.prepare(
      `WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < ${ROWS})
       INSERT INTO rt SELECT printf('r%06d', n), printf('value %d', n) FROM s`,
    ),
  ]);
  const e = (p: string): Endpoint => ({ name: p, path: p });
  await load(base, e("/seq?k=1"), Math.max(...CONNECTIONS), Math.min(3, DURATION_S), 10); // warm-up
  console.log("variant          conns   req/s  p50  p99   × 1-read req/s  × 1-read p99  (load avg)");
  for (const connections of CONNECTIONS) {
    for (const variant of VARIANTS) {
      const one = await load(base, e("/seq?k=1"), connections, DURATION_S, 10);
      const r = await load(base, e(variant), connections, DURATION_S, 10);
      const bad = one.non2xx + one.errors + r.non2xx + r.errors;
      console.log(
        `${variant.padEnd(16)} ${String(connections).padStart(5)}  ${r.requests.average.toFixed(0).padStart(6)} ` +
          `${String(r.latency.p50).padStart(4)} ${String(r.latency.p99).padStart(4)}   ` +
          `${(r.requests.average / one.requests.average).toFixed(2).padStart(14)}  ` +
          `${(r.latency.p99 / Math.max(1, one.latency.p99)).toFixed(2).padStart(12)}  ` +
          `(1 read: ${one.requests.average.toFixed(0)} req/s, p99 ${one.latency.p99} ms; ${round(os.loadavg()[0] ?? 0)})` +
          (bad ? `  ! ${bad} errors/non-2xx` : ""),
      );
    }
  }
} finally {
  await mf.dispose();
  rmSync(dir, { recursive: true, force: true });
  clearTimeout(watchdog);
}
