/**
 * Named domain errors. Every layer throws these; the CLI maps them to exit codes and the HTTP edge
 * to status codes, each in one place. `code` values are stable: scripts and clients rely on them.
 */
export const errorCodes = [
  "validation_failed",
  "not_found",
  "conflict",
  "consent_required",
  "insufficient_privileges",
  "not_authenticated",
  "insights_disabled",
  "integrity_failed",
  "unavailable",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class KithError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "KithError";
  }
}

export const validationError = (message: string, details: Record<string, unknown> = {}) =>
  new KithError("validation_failed", message, details);
export const notFound = (what: string, key: string) =>
  new KithError("not_found", `${what} not found: ${key}`, { what, key });
export const notAuthenticated = (message = "sign in first") => new KithError("not_authenticated", message);
export const insufficientPrivileges = (message: string, details: Record<string, unknown> = {}) =>
  new KithError("insufficient_privileges", message, details);

export function isKithError(error: unknown): error is KithError {
  return error instanceof KithError;
}
