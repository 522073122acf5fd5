import type { FastifyReply } from "fastify";
import type { Config } from "../config/config";

export const sessionCookie = "kith_session";
/** Readable by the page's script (not HttpOnly): the double-submit copy of the session's CSRF token. */
export const csrfCookie = "kith_csrf";
export const csrfHeader = "x-csrf-token";

function cookieBase(config: Readonly<Config>) {
  return { path: "/", sameSite: "lax" as const, secure: config.publicUrl.startsWith("https:") };
}

export function setSessionCookies(
  reply: FastifyReply,
  config: Readonly<Config>,
  session: { token: string; csrfToken: string; expiresAt: Date },
): void {
  const base = { ...cookieBase(config), expires: session.expiresAt };
  reply.setCookie(sessionCookie, session.token, { ...base, httpOnly: true });
  reply.setCookie(csrfCookie, session.csrfToken, { ...base, httpOnly: false });
}

/** Tells the browser to drop both cookies (same name, path and flags as they were set with). */
export function clearSessionCookies(reply: FastifyReply, config: Readonly<Config>): void {
  reply.clearCookie(sessionCookie, { ...cookieBase(config), httpOnly: true });
  reply.clearCookie(csrfCookie, { ...cookieBase(config), httpOnly: false });
}

/** Where a sign-in lands when it names no acceptable destination. */
export const homePath = "/";
/** Longer destinations fall back home: no page of Kith needs one, and they are stored with the OIDC request. */
const maxReturnPathLength = 2048;
/**
 * Control and format characters (tab, CR, LF, NUL, zero-width and bidi marks), every kind of space,
 * and backslashes: browsers skip some of these and read backslashes as slashes while resolving a
 * Location, which turns `/\t/evil.com` or `/\evil.com` into another host.
 */
const unsafeInReturnPath = /[\p{Cc}\p{Cf}\p{Z}\\]/u;
/** A scheme followed by an authority; `https:evil.com` has none (and is relative on an https origin). */
const absoluteUrl = /^[a-z][a-z\d+.-]*:\/\//i;
/** Resolves relative paths when the public URL has no origin of its own (then only paths pass). */
const placeholderOrigin = "http://kith.invalid";

/**
 * The post-sign-in destination as a same-origin path, or the home path (no open redirect).
 *
 * Only a path (`/…`) or an absolute `scheme://` URL is considered. It is resolved against the
 * public origin with the WHATWG URL parser (the algorithm a browser runs on a Location header) and
 * must keep that origin. What comes back is the parsed URL re-serialised as path, query and
 * fragment, never the value as given: a same-origin absolute URL becomes its path, `/a/../b`
 * becomes `/b`. The path must not start with `//` before or after percent-decoding (`/..//evil.com`,
 * and `/%2F/evil.com` at a proxy that decodes, would be protocol-relative), and neither form may
 * hold the characters above (`/%09/evil.com`).
 */
export function safeReturnPath(value: string | undefined, publicUrl: string): string {
  if (!value || value.length > maxReturnPathLength || unsafeInReturnPath.test(value)) return homePath;
  const configured = URL.canParse(publicUrl) ? new URL(publicUrl).origin : "null";
  const isPath = value.startsWith("/");
  if (!isPath && (configured === "null" || !absoluteUrl.test(value))) return homePath;
  const origin = configured === "null" ? placeholderOrigin : configured;
  if (!URL.canParse(value, origin)) return homePath;
  const url = new URL(value, origin);
  if (url.origin !== origin) return homePath;
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(url.pathname);
  } catch {
    return homePath;
  }
  if (url.pathname.startsWith("//") || decodedPath.startsWith("//") || unsafeInReturnPath.test(decodedPath))
    return homePath;
  return `${url.pathname}${url.search}${url.hash}`;
}
