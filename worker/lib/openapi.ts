import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { ApiError, type ErrorCode } from "./errors";

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/**
 * A feature router: an OpenAPIHono whose failed validations become `VALIDATION_FAILED` errors.
 *
 * @example
 * export const healthRoutes = createRouter().openapi(route, (c) => c.json({ status: "ok" }, 200));
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError("VALIDATION_FAILED", describeIssues(result.error as z.ZodError));
    },
  });
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "NOT_FOUND" }),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .meta({ id: "Error" });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input",
  401: "Not signed in",
  403: "Refused",
  404: "Not found (or not yours)",
  409: "Conflict",
  429: "Too many requests",
};

/** OpenAPI response entries for the error statuses a route can answer. */
export function errors(...statuses: Array<400 | 401 | 403 | 404 | 409 | 429>) {
  const out: Record<string, { description: string; content: { "application/json": { schema: typeof ErrorBody } } }> =
    {};
  for (const s of statuses) {
    out[String(s)] = {
      description: ERROR_DESCRIPTIONS[s] ?? "Error",
      content: { "application/json": { schema: ErrorBody } },
    };
  }
  return out;
}

/** An OpenAPI request body entry for a JSON body validated by `schema`; required, so a missing body is a 400. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { "application/json": { schema } } } } as const;
}

/** An OpenAPI 200/201 JSON response entry. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

export const cookieAuth = [{ cookieAuth: [] }];

/**
 * A maker of signed-in routes under one tag: `route(method, path, summary, request, responses)`
 * is `createRoute` with the tag and the session cookie filled in.
 */
export function signedInRoutes(tags: string[]) {
  return <
    M extends "get" | "post" | "put" | "patch" | "delete",
    P extends string,
    R extends Parameters<typeof createRoute>[0]["request"],
    S extends Parameters<typeof createRoute>[0]["responses"],
  >(
    method: M,
    path: P,
    summary: string,
    request: R,
    responses: S,
  ) => createRoute({ method, path, tags, summary, security: cookieAuth, request, responses });
}

export type { ErrorCode };

/** The query schema of a route that takes no query parameters: unknown keys are refused. */
export const NoQuery = z.strictObject({});

/**
 * A JSON answer (200 unless told) whose text was built elsewhere (e.g. by SQLite's json functions), typed as
 * the route's JSON so the route's contract and `hc` types still hold. The caller vouches for the shape.
 */
export function jsonText<T, S extends 200 | 201 = 200>(
  c: Context,
  text: string,
  status: S = 200 as S,
): TypedResponse<T, S, "json"> {
  return c.body(text, status, { "Content-Type": "application/json" }) as unknown as TypedResponse<T, S, "json">;
}
