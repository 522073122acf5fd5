/**
 * A fixed-window request limiter per client address, in process memory. Written by hand rather
 * than @fastify/rate-limit because it guards three route groups with their own budgets inside the
 * route table's onRequest step (before authentication, so a token-guessing client is throttled
 * before any secret is hashed or looked up), and it needs nothing else of the plugin. Several API
 * processes each keep their own windows: the effective limit is per process, which is the intent
 * (slow down guessing and runaway identity-provider loops), not an exact quota.
 */
export type RateLimitGroup = "signIn" | "scim";

export function rateLimitGroupOf(url: string): RateLimitGroup | null {
  if (url === "/auth/link" || url === "/auth/link/request" || url.startsWith("/auth/oidc/")) return "signIn";
  if (url.startsWith("/scim/")) return "scim";
  return null;
}

/** Requests allowed per window for each group (a minute unless the limiter says otherwise). */
export class RateLimiter<G extends string = RateLimitGroup> {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perWindow: Readonly<Record<G, number>>,
    private readonly clock: () => number = () => Date.now(),
    private readonly windowMs = 60_000,
  ) {}

  /** Counts a request; returns the seconds to wait when it is over the limit, else null. */
  hit(group: G, client: string): number | null {
    const now = this.clock();
    const key = `${group}\u0000${client}`;
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.perWindow[group]) return null;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
