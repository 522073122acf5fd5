import type { FastifyReply } from "fastify";
import type { Config } from "../config/config";

export const sessionCookie = "kith_session";
/** Readable by the page's script (not HttpOnly): the double-submit copy of the session's CSRF token. */
export const csrfCookie = "kith_csrf";
export const csrfHeader = "x-csrf-token";

export function setSessionCookies(
  reply: FastifyReply,
  config: Readonly<Config>,
  session: { token: string; csrfToken: string; expiresAt: Date },
): void {
  const secure = config.publicUrl.startsWith("https:");
  const base = { path: "/", sameSite: "lax" as const, secure, expires: session.expiresAt };
  reply.setCookie(sessionCookie, session.token, { ...base, httpOnly: true });
  reply.setCookie(csrfCookie, session.csrfToken, { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, { path: "/" });
  reply.clearCookie(csrfCookie, { path: "/" });
}

/** Only a same-site path may be a post-sign-in destination (no open redirect). */
export function safeReturnPath(value: string | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
