import { z } from "zod";
import { TEAM_MEMBER_ROLES, TEAM_MEMBER_STATUSES } from "../../../db/schema/volunteers";

const Id = z.string().min(1).max(64);

export const TeamCreate = z.strictObject({
  organisationId: Id,
  name: z.string().trim().min(2).max(40),
  description: z.string().trim().max(500).default(""),
});
export type TeamCreate = z.infer<typeof TeamCreate>;

export const TeamPatch = z
  .strictObject({
    name: z.string().trim().min(2).max(40),
    description: z.string().trim().max(500),
    status: z.enum(["active", "archived"]),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");

export const Team = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  name: z.string(),
  description: z.string(),
  status: z.enum(["active", "archived"]),
  memberCount: z.number().int(),
  createdAt: z.number().int(),
});
export type Team = z.infer<typeof Team>;

/** A team as the reader relates to it: their own membership, and whether they run it. */
export const TeamWithMe = Team.extend({
  myMembership: z
    .object({ id: z.string(), role: z.enum(TEAM_MEMBER_ROLES), status: z.enum(TEAM_MEMBER_STATUSES) })
    .nullable(),
  canManage: z.boolean().meta({ description: "The reader may decide on members (team leader or the team's staff)" }),
});

export const TeamList = z.object({ teams: z.array(TeamWithMe) });

export const TeamMember = z.object({
  id: z.string(),
  volunteerId: z.string(),
  realName: z.string(),
  number: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  role: z.enum(TEAM_MEMBER_ROLES),
  status: z.enum(TEAM_MEMBER_STATUSES),
  requestedAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
});
export type TeamMember = z.infer<typeof TeamMember>;

export const TeamMemberList = z.object({ members: z.array(TeamMember) });

export const TeamListQuery = z.strictObject({
  organisationId: Id.optional(),
  mine: z.enum(["true"]).optional().meta({ description: "Only teams I belong to or asked to join" }),
});

export const MemberDecision = z.strictObject({
  decision: z.enum(["approve", "decline", "remove"]),
  reason: z.string().trim().max(200).optional(),
});

export const MemberRole = z.strictObject({ role: z.enum(TEAM_MEMBER_ROLES) });

export const TeamMemberParams = z.strictObject({ id: Id, memberId: Id });
