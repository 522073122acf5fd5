/**
 * Post-sign-in destinations (`returnTo`) and the Location a sign-in must answer for each, on a
 * server whose public origin is `origin`: known open-redirect bypasses fall back home, same-origin
 * destinations come back as paths. Shared by the link route's and the OpenID Connect route's tests.
 */
export interface ReturnPathCase {
  name: string;
  /** The returnTo value as the server receives it (after query decoding); undefined: not sent. */
  returnTo: string | undefined;
  location: string;
}

export function returnPathCases(origin: string): ReturnPathCase[] {
  const { host, port } = new URL(origin);
  const otherPort = String(Number(port || "80") + 1);
  const home = (name: string, returnTo: string | undefined): ReturnPathCase => ({
    name,
    returnTo,
    location: "/",
  });
  return [
    home("no returnTo", undefined),
    home("empty", ""),
    { name: "a plain path", returnTo: "/app/accounts?tab=open#top", location: "/app/accounts?tab=open#top" },
    { name: "a path with dot segments", returnTo: "/app/../api/session", location: "/api/session" },
    {
      name: "a same-origin absolute URL, as its path",
      returnTo: `${origin}/app/who?email=a%40b.example#r`,
      location: "/app/who?email=a%40b.example#r",
    },
    home("tab (the reported bypass)", "/\t/evil.com"),
    home("newline", "/\n/evil.com"),
    home("carriage return", "/\r/evil.com"),
    home("CRLF header injection", "/\r\nSet-Cookie: x=y"),
    home("NUL", "/\u0000/evil.com"),
    home("protocol-relative", "//evil.com"),
    home("three slashes", "///evil.com"),
    home("slash backslash", "/\\evil.com"),
    home("backslash slash", "\\/evil.com"),
    home("two backslashes", "\\\\evil.com"),
    home("encoded tab", "/%09/evil.com"),
    home("encoded slash", "/%2F/evil.com"),
    home("encoded slash, lower case", "/%2f/evil.com"),
    home("encoded backslash", "/%5Cevil.com"),
    home("encoded protocol-relative", "%2F%2Fevil.com"),
    home("undecodable escape", "/%E0%A4%A"),
    home("scheme without slashes", "https:evil.com"),
    home("scheme without slashes (http)", "http:evil.com"),
    home("javascript URL", "javascript:alert(document.domain)"),
    home("javascript URL, mixed case", "JaVaScRiPt:alert(1)"),
    home("data URL", "data:text/html,<script>alert(1)</script>"),
    home("dot segments to protocol-relative", "/..//evil.com"),
    home("dot segment to protocol-relative", "/.//evil.com"),
    home("dot segments under a path", "/app/..//evil.com"),
    home("leading space", " //evil.com"),
    home("leading spaces before a path", "  /app/"),
    home("no-break space", "\u00a0//evil.com"),
    home("ideographic space", "/\u3000/evil.com"),
    home("zero-width space", "/\u200b/evil.com"),
    home("right-to-left override", "/\u202e/moc.live"),
    home("fullwidth solidus", "\uff0f\uff0fevil.com"),
    home("fullwidth solidus after a scheme", "https:\uff0f\uff0fevil.com"),
    home("ideographic full stop host", "https://evil\u3002com/"),
    home("a bare host name", "evil.com"),
    home("another host", "https://evil.com/"),
    home("another host, upper case", "HTTP://EVIL.COM"),
    home("credentials before another host", `${origin}@evil.com/`),
    home("protocol-relative with credentials", `//${host}@evil.com`),
    home("same host, another port", `http://${new URL(origin).hostname}:${otherPort}/app/`),
    home("same host, another scheme", `https://${host}/app/`),
    home("too long", `/${"a".repeat(3000)}`),
  ];
}
