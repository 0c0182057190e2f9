import { z } from "zod";

const Id = z.string().min(1).max(64);

/** The nearby page's search params; also carried in history state so a facility page can link back to the same view. */
export const NearbySearch = z.object({
  compoundId: Id.optional().catch(undefined),
  communityId: Id.optional().catch(undefined),
  /** Comma-separated kind codes; unknown ones are ignored. */
  kinds: z.string().max(600).optional().catch(undefined),
  openNow: z.boolean().optional().catch(undefined),
  /** Absent: elder pace in elder mode, else normal. */
  pace: z.enum(["normal", "elder"]).optional().catch(undefined),
});
export type NearbySearch = z.infer<typeof NearbySearch>;
