import type { Bindings } from "../env";
import { ApiError } from "./errors";

const LOCAL_ONLY_KEY = "linli-local-development-key";

/**
 * The secret for keyed hashes (one-time codes, ID numbers). Local runs may use a built-in key;
 * a deployment without `HASH_KEY` refuses rather than hash with a public one.
 */
export function hashKey(env: Bindings): string {
  if (env.HASH_KEY) return env.HASH_KEY;
  if (env.DEV_OUTBOX === "true") return LOCAL_ONLY_KEY;
  throw new ApiError("INTERNAL_ERROR", "HASH_KEY is not configured");
}
