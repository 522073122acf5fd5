import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { errorCodes, isKithError, type ErrorCode } from "../domain/errors";

/**
 * The HTTP edge's one error shape and its one code → status map. Codes are the stable domain codes
 * (src/domain/errors.ts) plus `internal_error` for anything unexpected, whose details stay in the
 * server log (a response never carries a stack trace), and `rate_limited` (429, with Retry-After)
 * from the HTTP edge's own limiter.
 */
export type ApiErrorCode = ErrorCode | "internal_error" | "rate_limited";

export const statusByCode: Record<ApiErrorCode, number> = {
  validation_failed: 400,
  not_authenticated: 401,
  insufficient_privileges: 403,
  consent_required: 403,
  insights_disabled: 403,
  not_found: 404,
  conflict: 409,
  integrity_failed: 500,
  unavailable: 503,
  internal_error: 500,
  rate_limited: 429,
};

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Union([...errorCodes, "internal_error", "rate_limited"].map((c) => Type.Literal(c))),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: "Error", description: "Every error: a stable code, a message for people, optional details" },
);

export interface ErrorPayload {
  error: { code: ApiErrorCode; message: string; details?: Record<string, unknown> };
}

export function errorPayload(
  code: ApiErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ErrorPayload {
  return { error: { code, message, ...(details && Object.keys(details).length > 0 ? { details } : {}) } };
}

/** Translates anything thrown by a route into the error shape; logs what the client does not see. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isKithError(error)) {
    return reply
      .status(statusByCode[error.code])
      .send(errorPayload(error.code, error.message, error.details));
  }
  const fe = error as Partial<FastifyError>;
  if (fe.validation) {
    const issues = fe.validation.map((v) => ({
      where: fe.validationContext ?? "request",
      path: v.instancePath || "/",
      message: v.message ?? "invalid",
    }));
    const first = issues[0];
    return reply
      .status(400)
      .send(
        errorPayload(
          "validation_failed",
          first
            ? `${first.where}${first.path === "/" ? "" : first.path}: ${first.message}`
            : "invalid request",
          { issues },
        ),
      );
  }
  // Fastify's own client errors (malformed JSON, wrong content type, body too large).
  if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ApiErrorCode =
      fe.statusCode === 401 ? "not_authenticated" : fe.statusCode === 404 ? "not_found" : "validation_failed";
    return reply.status(fe.statusCode).send(errorPayload(code, fe.message ?? "bad request"));
  }
  request.log.error({ err: error }, "unexpected error");
  return reply
    .status(500)
    .send(
      errorPayload("internal_error", `unexpected error; the server log has details (request ${request.id})`),
    );
}
