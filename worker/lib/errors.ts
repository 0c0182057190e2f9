import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The closed set of error codes the API answers with, and the status each maps to. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  IMPORT_INVALID: 400,
  INVALID_JSON: 400,
  OTP_INVALID: 400,
  OTP_EXPIRED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_ELIGIBLE: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  SLOT_FULL: 409,
  SLOT_TIME_TAKEN: 409,
  ALREADY_BOOKED: 409,
  LIMIT_REACHED: 409,
  BOOKING_CLOSED: 409,
  /** A tele-consultation's symptoms without the patient's recorded consent. */
  CONSENT_REQUIRED: 409,
  CANCEL_CUTOFF_PASSED: 409,
  CHECK_IN_CLOSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The one error the API throws; `onError` turns it into `{ error: { code, message, requestId } }`.
 *
 * @example
 * throw new ApiError("NOT_FOUND", "Person not found");
 */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;
  /** Machine-readable detail, e.g. per-row problems of an import. */
  readonly details: unknown[] | undefined;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}, details?: unknown[]) {
    super(ERROR_STATUS[code], { message });
    this.code = code;
    this.headers = headers;
    this.details = details;
  }
}

/** Builds the JSON error response every 4xx/5xx uses. */
export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
  details?: unknown[],
) {
  const requestId = (c.get("requestId") as string | undefined) ?? "";
  const error = details ? { code, message, requestId, details } : { code, message, requestId };
  return c.json({ error }, ERROR_STATUS[code], headers);
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

/** `app.onError`: known errors keep their code; anything else is logged once and answered 500. */
export function handleError(err: Error, c: Context) {
  if (err instanceof ApiError) return errorResponse(c, err.code, err.message, err.headers, err.details);
  if (err instanceof HTTPException) {
    const code = STATUS_CODES[err.status] ?? (err.status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
    const message = /json/i.test(err.message) ? "Request body is not valid JSON" : err.message || code;
    return errorResponse(c, /json/i.test(err.message) ? "INVALID_JSON" : code, message);
  }
  console.error(
    JSON.stringify({ level: "error", requestId: c.get("requestId"), message: err.message, stack: err.stack }),
  );
  return errorResponse(c, "INTERNAL_ERROR", "Something went wrong on our side");
}
