// Domain errors. Every edge (tRPC, proxy, CLI) translates them through ERROR_TABLE, once.

export type ErrorCode =
  | "invalid_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "limit_exceeded"
  | "quota_exceeded"
  | "internal"
  | "upstream_unreachable"
  | "upstream_auth_failed"
  | "upstream_timeout"
  | "database_unavailable"
  | "no_target_available";

export interface ErrorMapping {
  httpStatus: number;
  /** OpenAI-shaped `error.type` for HTTP API responses. */
  openaiType: string;
  trpcCode:
    | "BAD_REQUEST"
    | "UNAUTHORIZED"
    | "FORBIDDEN"
    | "NOT_FOUND"
    | "METHOD_NOT_SUPPORTED"
    | "CONFLICT"
    | "PAYLOAD_TOO_LARGE"
    | "UNSUPPORTED_MEDIA_TYPE"
    | "TOO_MANY_REQUESTS"
    | "INTERNAL_SERVER_ERROR"
    | "BAD_GATEWAY"
    | "GATEWAY_TIMEOUT"
    | "SERVICE_UNAVAILABLE";
  /** CLI exit code: 1 = refused operation. */
  exitCode: number;
}

export const ERROR_TABLE: Record<ErrorCode, ErrorMapping> = {
  invalid_request: { httpStatus: 400, openaiType: "invalid_request_error", trpcCode: "BAD_REQUEST", exitCode: 1 },
  unauthenticated: { httpStatus: 401, openaiType: "authentication_error", trpcCode: "UNAUTHORIZED", exitCode: 1 },
  forbidden: { httpStatus: 403, openaiType: "permission_error", trpcCode: "FORBIDDEN", exitCode: 1 },
  not_found: { httpStatus: 404, openaiType: "not_found_error", trpcCode: "NOT_FOUND", exitCode: 1 },
  method_not_allowed: { httpStatus: 405, openaiType: "invalid_request_error", trpcCode: "METHOD_NOT_SUPPORTED", exitCode: 1 },
  conflict: { httpStatus: 409, openaiType: "conflict_error", trpcCode: "CONFLICT", exitCode: 1 },
  payload_too_large: { httpStatus: 413, openaiType: "request_too_large", trpcCode: "PAYLOAD_TOO_LARGE", exitCode: 1 },
  unsupported_media_type: { httpStatus: 415, openaiType: "invalid_request_error", trpcCode: "UNSUPPORTED_MEDIA_TYPE", exitCode: 1 },
  rate_limited: { httpStatus: 429, openaiType: "rate_limit_error", trpcCode: "TOO_MANY_REQUESTS", exitCode: 1 },
  /** A configured rate or concurrency limit. */
  limit_exceeded: { httpStatus: 429, openaiType: "rate_limit_exceeded", trpcCode: "TOO_MANY_REQUESTS", exitCode: 1 },
  /** A token or cost budget of a day or a month is spent. */
  quota_exceeded: { httpStatus: 429, openaiType: "insufficient_quota", trpcCode: "TOO_MANY_REQUESTS", exitCode: 1 },
  internal: { httpStatus: 500, openaiType: "api_error", trpcCode: "INTERNAL_SERVER_ERROR", exitCode: 1 },
  upstream_unreachable: { httpStatus: 502, openaiType: "api_error", trpcCode: "BAD_GATEWAY", exitCode: 1 },
  upstream_auth_failed: { httpStatus: 502, openaiType: "api_error", trpcCode: "BAD_GATEWAY", exitCode: 1 },
  upstream_timeout: { httpStatus: 504, openaiType: "timeout_error", trpcCode: "GATEWAY_TIMEOUT", exitCode: 1 },
  database_unavailable: { httpStatus: 503, openaiType: "api_error", trpcCode: "SERVICE_UNAVAILABLE", exitCode: 1 },
  /** Every target of a route is cooling down (or over its limits). */
  no_target_available: { httpStatus: 503, openaiType: "api_error", trpcCode: "SERVICE_UNAVAILABLE", exitCode: 1 },
};

export interface AppErrorOptions {
  /** The offending field, as a JSON path (`messages[0].role`) or a form field name. */
  param?: string | null;
  /** Machine-readable detail for OpenAI clients, e.g. `unsupported_value`. */
  detailCode?: string | null;
  /** For `rate_limited`: when to try again, sent as `Retry-After` by the HTTP edges. */
  retryAfterSeconds?: number | null;
  /** false: no retry can fix it (sent as `x-should-retry: false`, so SDKs do not retry). */
  retryable?: boolean;
  /** More headers the HTTP edges send with the error (a limit's `x-ratelimit-*`). */
  headers?: Record<string, string>;
}

// Under `next start` the route files and instrumentation each bundle their own copy of this
// module, and the store (opened once per process) may throw the other copy's errors: recognise
// them by a shared brand, not by class identity.
const APP_ERROR = Symbol.for("llm-gateway.app-error");

export class AppError extends Error {
  readonly [APP_ERROR] = true;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly detailCode: string | null;
  readonly retryAfterSeconds: number | null;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.param = options.param ?? null;
    this.detailCode = options.detailCode ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.retryable = options.retryable ?? true;
    this.headers = options.headers ?? {};
  }
}

export class ValidationError extends AppError {
  constructor(message: string, param: string | null = null, detailCode: string | null = null) {
    super("invalid_request", message, { param, detailCode });
  }
}

export class NotFoundError extends AppError {
  constructor(kind: string, name: string) {
    super("not_found", `${kind} '${name}' not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, param: string | null = null) {
    super("conflict", message, { param });
  }
}

export class ForbiddenError extends AppError {
  constructor(permission: string, purpose: string | null = null) {
    super("forbidden", purpose ? `missing permission ${permission} ${purpose}` : `missing permission ${permission}`);
  }
}

/** One message for every authentication failure, so callers learn nothing from it. */
export const UNAUTHENTICATED_MESSAGE = "Invalid or missing credentials";

export class UnauthenticatedError extends AppError {
  constructor() {
    super("unauthenticated", UNAUTHENTICATED_MESSAGE);
  }
}

export function isAppError(error: unknown): error is AppError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[APP_ERROR] === true;
}

/** The error's own headers, `Retry-After` for one that says when to try again, `x-should-retry: false` for one no retry can fix. */
export function retryHeaders(error: AppError): Record<string, string> {
  const headers: Record<string, string> = { ...error.headers };
  if (error.retryAfterSeconds !== null) headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  if (!error.retryable) headers["x-should-retry"] = "false";
  return headers;
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openaiErrorBody(message: string, type: string, param: string | null = null, code: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** The OpenAI-shaped body and HTTP status for an AppError. */
export function appErrorToOpenAI(error: AppError): { status: number; body: OpenAIErrorBody } {
  const mapping = ERROR_TABLE[error.code];
  const code = error.detailCode ?? (error.code === "upstream_unreachable" || error.code === "upstream_auth_failed" ? error.code : null);
  return { status: mapping.httpStatus, body: openaiErrorBody(error.message, mapping.openaiType, error.param, code) };
}

/** The database did not answer: the console, tRPC and the CLI say so (503, exit 1); inference goes on from memory. */
export class DatabaseUnavailableError extends AppError {
  constructor(location: string) {
    super("database_unavailable", `database unavailable: ${location} does not answer; inference goes on, and this works again once it is back`, {
      retryAfterSeconds: 5,
    });
  }
}
