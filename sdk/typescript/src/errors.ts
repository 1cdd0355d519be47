/**
 * Errors of the SDK: each carries the OAuth `error` code, its description and, for answers of the
 * server, the HTTP status.
 *
 * ```ts
 * try { await client.getToken({ scope: "admin" }) }
 * catch (e) { if (e instanceof MachineAuthError) console.log(e.status, e.error, e.description) }
 * // 400 invalid_scope scope not granted to this client: admin
 * ```
 */

/** Base of every error of this package. */
export class MachineAuthError extends Error {
  /** The machine-readable code (`invalid_client`, `invalid_token`, `not_found` …). */
  readonly error: string;
  /** The human-readable `error_description`. */
  readonly description: string;
  /** The HTTP status of the server's answer, `undefined` when no answer is involved. */
  readonly status: number | undefined;

  constructor(error: string, description = "", status?: number) {
    super(description ? `${error}: ${description}` : error);
    this.name = new.target.name;
    this.error = error;
    this.description = description;
    this.status = status;
  }
}

/** The client lacks what a call needs (client credentials, an admin session or an API key). */
export class ConfigurationError extends MachineAuthError {
  constructor(description: string) {
    super("configuration_error", description);
  }
}

/** What an error answer of the server carries besides its code. */
export interface APIErrorDetails {
  /** The request field at fault (validation errors of the REST API). */
  field?: string | undefined;
  /** Seconds the server asked to wait (429/503), when it said. */
  retryAfter?: number | undefined;
  /** The server's `X-Request-Id`, for its logs. */
  requestId?: string | undefined;
  /** The decoded JSON error body. */
  body?: Record<string, unknown>;
}

/** The server answered with an error status. */
export class APIError extends MachineAuthError {
  readonly field: string | undefined;
  readonly retryAfter: number | undefined;
  readonly requestId: string | undefined;
  readonly body: Record<string, unknown>;
  declare readonly status: number;

  constructor(status: number, error: string, description: string, details: APIErrorDetails = {}) {
    super(error, description, status);
    this.message = `${status} ${this.message}`;
    this.field = details.field;
    this.retryAfter = details.retryAfter;
    this.requestId = details.requestId;
    this.body = details.body ?? {};
  }
}

/** 400: an invalid request, scope, grant or target (see `error`), or a field at fault. */
export class BadRequestError extends APIError {}
/** 401: missing, wrong or expired credentials (`invalid_client`, `invalid_token` …). */
export class AuthenticationError extends APIError {}
/** 403: the credentials are valid but the route's rule does not admit the caller. */
export class PermissionDeniedError extends APIError {}
/** 404: no such object (or not one the caller may see). */
export class NotFoundError extends APIError {}
/** 409: the object exists already. */
export class ConflictError extends APIError {}
/** 429: too many attempts; `retryAfter` says how long to wait. */
export class RateLimitError extends APIError {}
/** 5xx: the server could not answer (503 `temporarily_unavailable` when storage is away). */
export class ServerError extends APIError {}

const byStatus: Record<number, typeof APIError> = {
  400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError,
  404: NotFoundError, 409: ConflictError, 429: RateLimitError,
};

/** The error for an answer with `status` and the decoded JSON `body`. */
export function apiError(status: number, body: Record<string, unknown>, details: APIErrorDetails = {}): APIError {
  const Kind = byStatus[status] ?? (status >= 500 ? ServerError : APIError);
  const text = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : undefined);
  return new Kind(status, text("error") ?? `http_${status}`, text("error_description") ?? "", {
    ...details, field: text("field"), body,
  });
}

/**
 * A token failed local verification (`invalid_token`, 401) or lacks a scope (`insufficient_scope`,
 * 403). `wwwAuthenticate()` renders the RFC 6750 challenge a resource server answers with.
 */
export class TokenVerificationError extends MachineAuthError {
  readonly requiredScopes: readonly string[];
  declare readonly status: number;

  constructor(error: "invalid_token" | "insufficient_scope", description: string, requiredScopes: readonly string[] = []) {
    super(error, description, error === "insufficient_scope" ? 403 : 401);
    this.requiredScopes = requiredScopes;
  }

  /** The `WWW-Authenticate` header value: `Bearer realm="api", error="…", error_description="…"`. */
  wwwAuthenticate(realm?: string): string {
    const quoted = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    const parts = realm ? [`realm=${quoted(realm)}`] : [];
    parts.push(`error=${quoted(this.error)}`, `error_description=${quoted(this.description)}`);
    if (this.requiredScopes.length > 0) parts.push(`scope=${quoted(this.requiredScopes.join(" "))}`);
    return `Bearer ${parts.join(", ")}`;
  }
}
