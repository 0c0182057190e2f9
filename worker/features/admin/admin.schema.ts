import { z } from "zod";
import { Phone } from "../auth/auth.schema";
import { ROLE_VALUES, SCOPE_TYPE_VALUES } from "../me/me.schema";

const Id = z.string().min(1).max(64);

/** Roles that can be granted, and the scope each takes. */
export const GRANTABLE_ROLES = ROLE_VALUES;

export const GrantCreate = z.strictObject({
  phone: Phone,
  role: z.enum(GRANTABLE_ROLES),
  communityId: Id.optional(),
  organisationId: Id.optional(),
});
export type GrantCreate = z.infer<typeof GrantCreate>;

export const GrantView = z.object({
  id: z.string(),
  accountId: z.string(),
  phoneMasked: z.string().nullable(),
  name: z.string().nullable(),
  role: z.enum(ROLE_VALUES),
  scopeType: z.enum(SCOPE_TYPE_VALUES),
  communityId: z.string().nullable(),
  organisationId: z.string().nullable(),
  scopeName: z.string().nullable(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});
export type GrantView = z.infer<typeof GrantView>;

export const GrantList = z.object({ grants: z.array(GrantView) });

export const GrantListQuery = z.strictObject({
  organisationId: Id.optional(),
  communityId: Id.optional(),
  includeRevoked: z.enum(["true", "false"]).default("false"),
});

export const AuditEntry = z.object({
  id: z.string(),
  at: z.number().int(),
  actorAccountId: z.string().nullable(),
  actorPhoneMasked: z.string().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  personId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
});

export const AuditList = z.object({ entries: z.array(AuditEntry), nextBefore: z.number().int().nullable() });

export const AuditQuery = z.strictObject({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  action: z.string().min(1).max(64).optional(),
});

export const IdParam = z.strictObject({ id: Id });

/** A text message as street admins see it: never its body (it may hold a code), the number masked. */
export const OutboxMessage = z.object({
  id: z.string(),
  /** What kind of message: "otp", "reminder-24h", "slot_cancelled", … */
  template: z.string(),
  recipientMasked: z.string(),
  status: z.enum(["queued", "sending", "sent", "failed"]),
  attempts: z.number().int(),
  /** The last failure's reason. */
  error: z.string().nullable(),
  createdAt: z.number().int(),
  /** When it is tried next (waiting), or when its claim lapses (sending). */
  dueAt: z.number().int().nullable(),
  sentAt: z.number().int().nullable(),
  /** Past its expiry, or a sign-in code (valid for minutes only): cannot be sent again. */
  expired: z.boolean(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const OutboxOverview = z.object({
  /** Failed for good, newest first (at most 50). */
  failed: z.array(OutboxMessage),
  /** Queued or being sent, the next due first (at most 50). */
  waiting: z.array(OutboxMessage),
  counts: z.object({ waiting: z.number().int(), failed: z.number().int(), sentLastDay: z.number().int() }),
});
