import { type ClientResponse, hc } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { AppType } from "../../worker/app";

/** The typed API client; same origin, so the session cookie travels with every call. */
export const api = hc<AppType>("/api");

/** An API error answer (`{error:{code,message,requestId}}`), or `NETWORK` when no answer came. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;

  constructor(status: number, code: string, message: string, requestId: string | null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

type OkBody<R> =
  R extends ClientResponse<infer T, infer S, infer _F> ? (S extends SuccessStatusCode ? T : never) : never;

function errorBody(body: unknown): { code: string; message: string; requestId: string } | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const error = body.error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message, requestId } = error as Record<string, unknown>;
  if (typeof code !== "string" || typeof message !== "string") return null;
  return { code, message, requestId: typeof requestId === "string" ? requestId : "" };
}

/**
 * Awaits a typed-client call and returns its success body, or throws an `ApiError`.
 *
 * @example
 * const me = await unwrap(api.me.$get({ query: {} }));
 */
export async function unwrap<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<OkBody<R>> {
  let res: R;
  try {
    res = await call;
  } catch (cause) {
    throw new ApiError(0, "NETWORK", cause instanceof Error ? cause.message : "Network error", null);
  }
  if (res.ok) return (await res.json()) as OkBody<R>;
  throw await apiErrorOf(res);
}

/** The `ApiError` a refused answer stands for (its JSON error body, or its status alone). */
export async function apiErrorOf(res: { status: number; statusText: string; json(): Promise<unknown> }) {
  const body: unknown = await res.json().catch(() => null);
  const parsed = errorBody(body);
  if (parsed) return new ApiError(res.status, parsed.code, parsed.message, parsed.requestId || null);
  return new ApiError(res.status, res.status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST", res.statusText, null);
}
