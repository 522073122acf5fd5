import { stdSerializers, type LogFn, type LoggerOptions, type SerializedError } from "pino";

/**
 * Keeps credentials out of every log line the server writes: request and slow-request lines, error
 * lines, and the worker's and scheduler's lines. Credentials reach a request in three places:
 *
 * - the query string: a sign-in link's `token`, the OpenID Connect callback's `code` and `state`
 *   (and any other token a client puts there, e.g. a partner review link opened as `?token=`);
 * - headers: `Authorization` (session, SCIM, operator, metrics and OpenID Connect bearers),
 *   `Cookie` (the session), `x-csrf-token`, and `Set-Cookie` on the way out;
 * - the path under a partner review page (`/app/partner-review/…`), should a link be pasted there.
 *
 * pino's `redact` replaces the header fields and rewrites every `url` field through `redactUrl`
 * (Fastify logs `req.url` with its query string); errors are serialized with their messages and
 * stacks scrubbed, and message strings pass through the same scrubbing, because Fastify writes
 * some URLs into message text.
 */

export const redactedText = "[Redacted]";

/** Query (and fragment) parameters whose values are credentials; names compare decoded, any case. */
const secretParameters = new Set([
  "token",
  "code",
  "state",
  "session_state",
  "id_token",
  "access_token",
  "refresh_token",
  "client_secret",
]);

/** The fixed endpoint names under a partner review path; any other segment may be a review token. */
const partnerReviewEndpoints = new Set(["lookup", "decide"]);
const partnerReviewPath = /(\/partner[-/]review)((?:\/[^?#\s"'<>]*)?)/gi;

function isSecretParameter(rawName: string): boolean {
  let name: string;
  try {
    name = decodeURIComponent(rawName.replaceAll("+", " "));
  } catch {
    // Undecodable: it cannot be told apart from an encoded secret name, so its value goes.
    return true;
  }
  return secretParameters.has(name.trim().toLowerCase());
}

function redactParameters(list: string): string {
  return list
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && isSecretParameter(name) ? `${name}=${redactedText}` : pair;
    })
    .join("&");
}

function redactPartnerReviewSegments(path: string): string {
  return path.replace(partnerReviewPath, (_match, prefix: string, rest: string) => {
    const segments = rest
      .split("/")
      .map((segment, i) =>
        i === 0 || segment === "" || partnerReviewEndpoints.has(segment) ? segment : redactedText,
      );
    return `${prefix}${segments.join("/")}`;
  });
}

/**
 * A URL (or request target) with the values of credential parameters, in its query and fragment,
 * and partner review path segments replaced; everything else as it was, for debugging.
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf("#");
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const path = redactPartnerReviewSegments(queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt));
  const query = queryAt === -1 ? "" : `?${redactParameters(beforeHash.slice(queryAt + 1))}`;
  const fragment = hashAt === -1 ? "" : `#${redactParameters(url.slice(hashAt + 1))}`;
  return `${path}${query}${fragment}`;
}

/** A `name=value` pair inside a URL's query or fragment, wherever it stands in free text. */
const parameterInText = /([?&#])([^=&#?\s"'<>]+)=([^&#\s"'<>]*)/g;
const bearerInText = /\b(Bearer\s+)[^\s"',;]+/gi;
const sessionCookieInText = /\b(kith_session|kith_csrf)=[^;\s"',]+/g;

/** Free text (a message, an error's message or stack) with every credential shape above replaced. */
export function redactSecretsInText(text: string): string {
  return redactPartnerReviewSegments(
    text
      .replace(parameterInText, (match, sep: string, name: string) =>
        isSecretParameter(name) ? `${sep}${name}=${redactedText}` : match,
      )
      .replace(bearerInText, `$1${redactedText}`)
      .replace(sessionCookieInText, `$1=${redactedText}`),
  );
}

/** Every string inside a serialized error (message, stack, causes, own properties), scrubbed. */
function scrubStrings(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactSecretsInText(value);
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubStrings(v, depth + 1)]));
}

function serializeErrorWithoutSecrets(error: Error): SerializedError {
  return scrubStrings(stdSerializers.err(error), 0) as SerializedError;
}

/** pino's censor: URLs keep their shape with credential values replaced; anything else is replaced. */
function censor(value: unknown, path: string[]): unknown {
  return path.at(-1) === "url" && typeof value === "string" ? redactUrl(value) : redactedText;
}

const redactPaths = [
  "url",
  "req.url",
  "req.headers.authorization",
  'req.headers["proxy-authorization"]',
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  // Node's parser errors carry the raw request bytes (request line with query, headers).
  "err.rawPacket",
  "token",
  "*.token",
];

/**
 * Adds Kith's redaction to pino (or Fastify logger) options: the caller's own redact paths,
 * serializers and log-method hook are kept, and run before the scrubbing.
 */
export function withSecretRedaction<T extends LoggerOptions>(options: T): T {
  const own = options.redact;
  const ownPaths = Array.isArray(own) ? own : (own?.paths ?? []);
  const ownLogMethod = options.hooks?.logMethod;
  return {
    ...options,
    redact: { paths: [...redactPaths, ...ownPaths], censor },
    serializers: { ...options.serializers, err: serializeErrorWithoutSecrets },
    hooks: {
      ...options.hooks,
      logMethod(args, method, level) {
        const scrubbed = args.map((arg: unknown) =>
          typeof arg === "string" ? redactSecretsInText(arg) : arg,
        ) as Parameters<LogFn>;
        if (ownLogMethod) ownLogMethod.call(this, scrubbed, method, level);
        else method.apply(this, scrubbed);
      },
    },
  };
}
