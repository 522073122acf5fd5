import { resolveSession, splitTenantSecret, type ResolvedSession } from "../services/auth.service";
import type { ServiceContext } from "../services/context";
import { WhoKnowsWhomReader } from "../services/who-knows-whom.service";
import { auditHeadSequence } from "../services/audit.service";

/**
 * A short-lived in-process cache for what every read request resolves again and again: the session
 * behind a token (session row, user, tenant, role assignments) and the who-knows-whom reader of a
 * viewer (consent, privacy, role grants, strength parameters, template).
 *
 * Freshness. An entry is used only while (a) it is younger than `ttlMs`, and (b) the tenant's audit
 * chain head is where it was when the entry was built: every consent, privacy, group, role, grant,
 * directory and settings change appends to that chain in its own transaction, so any such change —
 * made by this process, another API process or the CLI — invalidates at once, for the price of one
 * primary-key read sent after the request arrived (shared by the requests that arrived while the
 * previous one was on its way: `auditSeq`). What the audit chain does not record is a session's own revocation:
 * this process forgets a session on logout at once; another API process may accept a revoked session
 * for read requests for at most `ttlMs` (default 5 s). State-changing requests never use the cache
 * (`authenticate` resolves them from the store). Stored interactions and strengths with outside
 * people are never cached: an opt-out's purge is invisible to the very next read. A reader does
 * keep the colleague ↔ colleague strengths it reads for intro paths (one load per colleague, then
 * reused: 64 % of random targets have only weak introducers and would read the internal graph on
 * every request): new mail between colleagues shows in intro paths after at most `ttlMs`, an opt-out
 * or purge at once (it moves the audit head), and `decideAccess` still runs on every question.
 */
export class ReadCache {
  private readonly sessions = new Map<string, { value: ResolvedSession; seq: number; until: number }>();
  private readonly readers = new Map<
    string,
    { value: Promise<WhoKnowsWhomReader>; seq: number; until: number }
  >();

  /** Per tenant: the audit head read on its way, and the one to send after it (see `auditSeq`). */
  private readonly headReads = new Map<
    string,
    { sent: Promise<number | null> | null; next: Promise<number | null> | null }
  >();

  /** The audit head each read request's session was checked against (see `session`). */
  private readonly requestHeads = new WeakMap<object, { tenantId: string; seq: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * The session for a read request; null when unknown, expired, revoked or its user is gone.
   * `request` (any per-request object): the audit head read here is remembered for it, so the
   * same request's `whoKnowsWhomReader` checks its reader against that head instead of reading
   * it again (one round trip fewer per request; the head is as fresh as the request itself).
   */
  async session(ctx: ServiceContext, token: string, request?: object): Promise<ResolvedSession | null> {
    const tenantId = splitTenantSecret(token)?.tenantId;
    if (!tenantId) return null;
    const seq = await this.auditSeq(ctx, tenantId);
    if (request && seq !== null) this.requestHeads.set(request, { tenantId, seq });
    if (seq === null) return null;
    const hit = this.sessions.get(token);
    if (hit && hit.seq === seq && hit.until > this.clock() && hit.value.expiresAt > ctx.now())
      return hit.value;
    const value = await resolveSession(ctx, token);
    if (value) this.put(this.sessions, token, { value, seq, until: this.clock() + this.ttlMs });
    else this.sessions.delete(token);
    return value;
  }

  /** A who-knows-whom reader for this viewer, reused across their read requests. */
  async whoKnowsWhomReader(
    ctx: ServiceContext,
    tenantId: string,
    viewerEmail: string,
    request?: object,
  ): Promise<WhoKnowsWhomReader> {
    const known = request ? this.requestHeads.get(request) : undefined;
    const seq = known?.tenantId === tenantId ? known.seq : await this.auditSeq(ctx, tenantId);
    const key = `${tenantId}\u0000${viewerEmail}`;
    const hit = this.readers.get(key);
    if (hit && hit.seq === seq && hit.until > this.clock()) return hit.value;
    const value = WhoKnowsWhomReader.open(ctx, tenantId, viewerEmail);
    // The promise is cached, not the reader: concurrent requests of a viewer whose reader just
    // expired wait for one open (and share its caches) instead of each opening their own.
    if (seq !== null) {
      const entry = { value, seq, until: this.clock() + this.ttlMs };
      this.put(this.readers, key, entry);
      value.catch(() => {
        if (this.readers.get(key) === entry) this.readers.delete(key);
      });
    }
    return value;
  }

  /** Logout: this process stops accepting the token at once. */
  forgetSession(token: string): void {
    this.sessions.delete(token);
  }

  /** After a state change through this process (belt and braces: the audit head moved too). */
  forgetTenant(tenantId: string): void {
    for (const [token, entry] of this.sessions)
      if (entry.value.user.tenantId === tenantId) this.sessions.delete(token);
    for (const key of this.readers.keys()) if (key.startsWith(`${tenantId}\u0000`)) this.readers.delete(key);
  }

  clear(): void {
    this.sessions.clear();
    this.readers.clear();
  }

  /**
   * The tenant's audit head, read by a statement sent after this call: either one sent now, or,
   * while one is already on its way (sent, perhaps, before this request arrived), the next one,
   * sent when that one returns and shared by every request that arrived in the meantime. So each
   * request is checked against a head at least as new as the request itself, exactly as if it
   * had read the head alone, and 50 concurrent requests cost a few reads, not 50 (on PostgreSQL
   * each is a round trip, the largest cost of a cached read).
   */
  private auditSeq(ctx: ServiceContext, tenantId: string): Promise<number | null> {
    let reads = this.headReads.get(tenantId);
    if (!reads) {
      reads = { sent: null, next: null };
      this.headReads.set(tenantId, reads);
    }
    const slot = reads;
    if (!slot.sent) return this.sendHeadRead(ctx, tenantId, slot);
    if (!slot.next) {
      const settled = slot.sent.then(
        () => undefined,
        () => undefined,
      );
      slot.next = settled.then(() => {
        slot.next = null;
        return this.sendHeadRead(ctx, tenantId, slot);
      });
    }
    return slot.next;
  }

  private sendHeadRead(
    ctx: ServiceContext,
    tenantId: string,
    reads: { sent: Promise<number | null> | null },
  ): Promise<number | null> {
    const read = auditHeadSequence(ctx, tenantId);
    reads.sent = read;
    const done = () => {
      if (reads.sent === read) reads.sent = null;
    };
    read.then(done, done);
    return read;
  }

  private put<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    // Maps iterate in insertion order: the first key is the least recently stored.
    if (map.size > this.maxEntries) map.delete(map.keys().next().value as string);
  }
}
