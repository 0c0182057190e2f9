// `npx tsx bench/create-booking-floor.ts [-- --duration 6 --connections 4,16]`: how fast can
// creating a booking be on this D1 at all? A bare Worker (no Hono, no drizzle, no validation)
// sends create booking's exact D1 statement — the app's own SQL for the conditional insert that
// answers with the booking and the session (the trigger writes the notices) — beside the
// baseline primary-key read, on the
// cached fixture of `bookings.ts` (run that once first). The ratio it reaches is the ceiling for
// the real endpoint; the gap to it is what the app itself costs. See bench/results.md.
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { Miniflare } from "miniflare";
import { createDb } from "../db";
import { inlineLimits } from "../db/inline-limits";
import { liveSessionJson, sessionAccountId } from "../worker/features/auth/auth.queries";
import { takeForResidentQuery } from "../worker/features/bookings/bookings.queries";
import { load, positiveInt, ROOT, readWranglerToml } from "./lib";

const { values: args } = parseArgs({
  options: { duration: { type: "string", default: "6" }, connections: { type: "string", default: "4,16" } },
  strict: true,
});
const DURATION_S = positiveInt("duration", args.duration, 120);
const CONNECTIONS = args.connections.split(",").map((c) => positiveInt("connections", c.trim(), 64));

// The statements exactly as the Worker sends them (placeholders as {name}).
const db = createDb({} as D1Database);
const session = { tokenHash: sql.placeholder("sessionTokenHash"), at: sql.placeholder("sessionAt") };
const statements = [
  takeForResidentQuery(
    db,
    sessionAccountId(db, session.tokenHash, session.at),
    liveSessionJson(db, session.tokenHash, session.at),
  ),
].map((q) => {
  const { sql: text, params } = q.toSQL();
  const plain = params.map((p) => {
    if (p && typeof p === "object" && "name" in p) return { name: (p as { name: string }).name };
    if (p && typeof p === "object" && "value" in p) return (p as { value: unknown }).value;
    return p;
  });
  return inlineLimits(text, plain);
});

const cacheRoot = path.join(ROOT, "bench/.cache");
const cache = existsSync(cacheRoot) ? readdirSync(cacheRoot).find((d) => d.startsWith("bookings-")) : undefined;
if (!cache) throw new Error("no cached fixture: run `npm run bench:bookings` once first");
const dir = mkdtempSync(path.join(os.tmpdir(), "linli-bench-floor-"));
cpSync(path.join(cacheRoot, cache, "d1"), path.join(dir, "d1"), { recursive: true });
const toml = readWranglerToml();
const d1Persist = path.join(dir, "d1");

try {
  // Sessions for the proxies, and the bookable care slots, as bookings.ts picks them.
  const setup = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response('') } }",
    d1Databases: { DB: "linli-bench" },
    d1Persist,
  });
  const d1 = await setup.getD1Database("DB");
  const at = Date.now();
  const links = (
    await d1
      .prepare("SELECT proxy_account_id AS a, person_id AS p FROM proxy_links WHERE status = 'active' ORDER BY a")
      .all<{ a: string; p: string }>()
  ).results;
  const hashes: Record<string, string> = {};
  for (const account of new Set(links.map((l) => l.a))) {
    const hash = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("hex");
    await d1
      .prepare(
        "INSERT INTO sessions (id, token_hash, account_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .bind(`ses_floor_${account}`, hash, account, at, at + 29 * 86_400_000, at)
      .run();
    hashes[account] = hash;
  }
  const slots = (
    await d1
      .prepare(
        `SELECT s.id FROM slots s JOIN offerings o ON o.id = s.offering_id
         WHERE o.kind = 'care' AND o.status = 'active' AND o.requires_address = 0 AND s.status = 'open'
           AND s.starts_at BETWEEN ? AND ? ORDER BY s.rowid`,
      )
      .bind(at + 86_400_000, at + 20 * 86_400_000)
      .all<{ id: string }>()
  ).results.map((r) => r.id);
  await setup.dispose();

  const script = `
const STATEMENTS = ${JSON.stringify(statements)};
const LINKS = ${JSON.stringify(links)};
const HASHES = ${JSON.stringify(hashes)};
const SLOTS = ${JSON.stringify(slots)};
const A = "0123456789abcdefghjkmnpqrstvwxyz";
const random = (n) => { let s = ""; for (const x of crypto.getRandomValues(new Uint8Array(n))) s += A[x & 31]; return s; };
const sortable = (p) => { let t = Date.now(), s = ""; for (let i = 0; i < 9; i++) { s = A[t % 32] + s; t = Math.floor(t / 32); } return p + "_" + s + random(11); };
let k = 0;
export default {
  async fetch(request, env) {
    if (request.url.endsWith("/base")) {
      const id = "bkg_b_" + String(Math.floor(Math.random() * 1000000)).padStart(7, "0");
      return Response.json(await env.DB.prepare("SELECT id, status FROM bookings WHERE id = ?").bind(id).first());
    }
    const j = k++;
    const link = LINKS[j % LINKS.length];
    const at = Date.now();
    const id = sortable("bkg");
    const values = {
      take_id: id, take_slot: SLOTS[(Math.floor(j / LINKS.length) * 7919 + j * 13) % SLOTS.length],
      take_person: link.p, take_code: random(6).toUpperCase(), take_notes: null, take_address: null,
      take_key: null, take_at: at, sessionTokenHash: HASHES[link.a], sessionAt: at,
    };
    // As the Worker sends it (runAsSession): one statement, its first row.
    const [s] = STATEMENTS;
    const row = await env.DB.prepare(s.sql).bind(...s.params.map((p) => (p && typeof p === "object" ? values[p.name] : p))).first();
    return new Response(row && row.booking, { status: row && row.booking ? 201 : 409, headers: { "content-type": "application/json" } });
  },
};`;
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    modules: true,
    script,
    compatibilityDate: toml.date,
    compatibilityFlags: toml.flags,
    d1Databases: { DB: "linli-bench" },
    d1Persist,
  });
  const base = (await mf.ready).toString();
  for (const connections of CONNECTIONS) {
    const rows: string[] = [];
    let baseline: number[] = [];
    for (const name of ["base", "create", "base", "create", "base"]) {
      const result = await load(
        base,
        { name, path: `/${name}`, method: name === "create" ? "POST" : "GET" },
        connections,
        DURATION_S,
        10,
      );
      const rps = result.requests.average;
      if (name === "base") baseline = [...baseline, rps];
      rows.push(`${name.padEnd(7)} ${Math.round(rps)} req/s, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`);
    }
    console.log(
      `\n${connections} connections (baseline mean ${Math.round(baseline.reduce((a, b) => a + b, 0) / baseline.length)} req/s)`,
    );
    for (const r of rows) console.log(`  ${r}`);
  }
  await mf.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
