import { env } from "cloudflare:test";
import { asc, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../db";
import { inlineLimits, limitInliningD1, limitSlots } from "../../db/inline-limits";
import { communities, sessions } from "../../db/schema";
import { liveSessionJson, liveSessionQuery, sessionAccountId } from "../../worker/features/auth/auth.queries";
import {
  bookedWithKeyQuery,
  bookingSummariesJson,
  takeForResidentQuery,
} from "../../worker/features/bookings/bookings.queries";
import { createCommunity } from "../factories";

describe("inlineLimits", () => {
  it("writes integer LIMIT and OFFSET values into the SQL and drops their parameters", () => {
    expect(inlineLimits("select a from t where b = ? limit ? offset ?", ["x", 5, 10])).toEqual({
      sql: "select a from t where b = ? limit 5 offset 10",
      params: ["x"],
    });
    expect(inlineLimits("SELECT a FROM t LIMIT\n  ?", [1])).toEqual({ sql: "SELECT a FROM t LIMIT\n  1", params: [] });
    expect(inlineLimits("select a from (select a from t limit ?) where a > ? limit ?", [3, 7, 2n])).toEqual({
      sql: "select a from (select a from t limit 3) where a > ? limit 2",
      params: [7],
    });
  });

  it("leaves parameters that are not an integer LIMIT/OFFSET alone", () => {
    // A string, a fraction, NaN: bound as they were (SQLite decides what they mean).
    for (const value of ["5", 2.5, Number.NaN, null]) {
      expect(inlineLimits("select a from t limit ?", [value])).toEqual({
        sql: "select a from t limit ?",
        params: [value],
      });
    }
    // Words that merely end in "limit", and parameters elsewhere.
    expect(inlineLimits("select a from t where speed_limit = ? and x = ?", [5, 6]).params).toEqual([5, 6]);
    expect(limitSlots("select a from t where b = ?")).toBeNull();
  });

  it("does not look inside strings, quoted names or comments", () => {
    const text = `select 'limit ?' as "limit ?", \`limit ?\` as [limit ?], ? as v -- limit ?
      /* offset ? */ from t limit ?`;
    const out = inlineLimits(text, ["a", 4]);
    expect(out.params).toEqual(["a"]);
    expect(out.sql).toBe(text.replace(/limit \?$/, "limit 4"));
    expect(inlineLimits("select 'it''s limit ?', ? limit ?", ["v", 3]).sql).toBe("select 'it''s limit ?', ? limit 3");
  });

  it("gives up on numbered and named parameters (it could not count them)", () => {
    expect(limitSlots("select a from t where b = ?1 limit ?")).toBeNull();
    expect(limitSlots("select a from t where b = :b limit ?")).toBeNull();
    expect(limitSlots("select a from t where b = @b limit ?")).toBeNull();
    expect(limitSlots("select a from t where b = :1 limit ?")).toBeNull();
    expect(limitSlots("select a from t where b = $1 limit ?")).toBeNull();
    const jsonPath = "select json_extract(x, '$.a') from t limit ?";
    expect(limitSlots(jsonPath)).toEqual([{ at: jsonPath.length - 1, index: 0 }]);
  });

  it("inlines the limits of the hot statements (bound LIMITs made SQLite re-compile them on every request)", () => {
    const db = createDb(env.DB);
    const statements = [
      liveSessionQuery(db, sql.placeholder("h"), sql.placeholder("at")),
      liveSessionQuery(db, sql.placeholder("h"), sql.placeholder("at"), {
        list: bookingSummariesJson(db, sql`${sessions.accountId}`, { when: "upcoming" }, sql.placeholder("at")).as(
          "list",
        ),
      }),
      bookedWithKeyQuery(db, sql.placeholder("actor"), sql.placeholder("key")),
      takeForResidentQuery(
        db,
        sessionAccountId(db, sql.placeholder("h"), sql.placeholder("at")),
        liveSessionJson(db, sql.placeholder("h"), sql.placeholder("at")),
      ),
    ];
    for (const statement of statements) {
      const { sql: text, params } = statement.toSQL();
      const out = inlineLimits(text, params);
      expect(out.sql).not.toMatch(/\b(limit|offset)\s+\?/i);
      expect(out.params.length).toBeLessThan(params.length);
    }
  });
});

describe("limitInliningD1 on the real D1", () => {
  it("answers drizzle's LIMIT/OFFSET queries as before, in batches too", async () => {
    for (let i = 0; i < 4; i++) await createCommunity();
    const db = createDb(env.DB);
    const all = await db.select({ id: communities.id }).from(communities).orderBy(asc(communities.id));
    expect(all.length).toBeGreaterThanOrEqual(4);
    const page = await db
      .select({ id: communities.id })
      .from(communities)
      .orderBy(asc(communities.id))
      .limit(2)
      .offset(1);
    expect(page).toEqual(all.slice(1, 3));
    const [one, two] = await db.batch([
      db.select({ id: communities.id }).from(communities).orderBy(asc(communities.id)).limit(1),
      db.select({ id: communities.id }).from(communities).orderBy(asc(communities.id)).limit(100).offset(0),
    ]);
    expect(one).toEqual(all.slice(0, 1));
    expect(two).toHaveLength(all.length);
  });

  it("passes raw statements, first(), raw() and exec through", async () => {
    const d1 = limitInliningD1(env.DB);
    const row = await d1
      .prepare("SELECT ? AS a, 'limit ?' AS b LIMIT ?")
      .bind("x", 1)
      .first<{ a: string; b: string }>();
    expect(row).toEqual({ a: "x", b: "limit ?" });
    expect(await d1.prepare("SELECT 7 AS n LIMIT ?").bind(1).first("n")).toBe(7);
    expect(await d1.prepare("SELECT 1 AS n UNION ALL SELECT 2 LIMIT 5").raw()).toEqual([[1], [2]]);
    const [batched] = await d1.batch([d1.prepare("SELECT 3 AS n LIMIT ?").bind(1)]);
    expect(batched?.results).toEqual([{ n: 3 }]);
    const unbound = await d1.batch([d1.prepare("SELECT 4 AS n")]);
    expect(unbound[0]?.results).toEqual([{ n: 4 }]);
    await expect(d1.exec("SELECT 1")).resolves.toBeTruthy();
    // A D1 session (read replication) gets the same rewriting.
    const session = d1.withSession("first-primary");
    expect(await session.prepare("SELECT 8 AS n LIMIT ?").bind(1).first("n")).toBe(8);
    const [fromSession] = await session.batch([session.prepare("SELECT 9 AS n LIMIT ?").bind(1)]);
    expect(fromSession?.results).toEqual([{ n: 9 }]);
  });
});
