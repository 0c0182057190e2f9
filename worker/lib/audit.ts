import { type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { auditLog } from "../../db/schema";
import type { AppEnv } from "../env";
import { newId } from "./ids";
import { insertWhere } from "./insert-where";
import { now } from "./time";

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId: string;
  personId?: string | null;
  /** What else to record: a value, or SQL that builds the JSON when the batch runs (e.g. a count). */
  detail?: Record<string, unknown> | SQL;
}

/**
 * The audit-log insert for an action taken by the signed-in account; add it to the write's batch.
 * With `when`, the row is written only if that condition holds when the batch runs.
 */
export function auditInsert(c: Context<AppEnv>, entry: AuditEntry, when?: SQL) {
  // The actor must be known: resolve the session (requireAccount/requireStaff) first.
  if (c.var.account === undefined) throw new Error("auditInsert before the session was resolved");
  const values = {
    id: newId("aud"),
    at: now(),
    actorAccountId: c.var.account?.id ?? null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    personId: entry.personId ?? null,
    detail: entry.detail ?? null,
    requestId: c.var.requestId,
    ip: c.req.header("cf-connecting-ip") ?? null,
  };
  return when ? insertWhere(c.var.db, auditLog, values, sql`WHERE ${when}`) : c.var.db.insert(auditLog).values(values);
}
