import type { ServiceContext } from "../services/context";
import {
  findDueMailboxes,
  isMailboxOpen,
  markMailboxDue,
  openMailboxWatch,
  syncMailbox,
  type CycleOutcome,
  type LiveSyncDeps,
  type MailboxWatch,
} from "../services/live-sync.service";
import type { MailboxKey } from "../store/live-sync.repository";

export interface LiveSyncLoopOptions {
  /** How often the loop looks for due mailboxes and re-checks its watches. */
  tickMs?: number;
  /** Mailboxes synced at once by this worker. */
  concurrency?: number;
  /** Keep an IDLE watch on every mailbox synced here whose server can push (default true). */
  watch?: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** After each cycle (tests and the bench). */
  onCycle?: (target: Target, outcome: CycleOutcome) => void;
}

type Target = MailboxKey & { tenantId: string };
const idOf = (t: Target) => `${t.tenantId}/${t.sourceId}/${t.mailbox}`;

/**
 * The live sync in `kith serve`'s worker: every tick it takes the mailboxes that are due (polling
 * interval passed, retry due, new) and whose lease is free, and syncs them; after a good cycle it
 * keeps an IDLE watch on the mailbox, so new mail is read within seconds instead of at the next
 * poll. Several processes may run it on one store: the lease gives each mailbox to one at a time.
 */
export class LiveSyncLoop {
  private readonly running = new Map<string, Promise<void>>();
  private readonly watches = new Map<string, { watch: MailboxWatch; target: Target }>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: LiveSyncDeps,
    private readonly options: LiveSyncLoopOptions = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
    void this.tick();
  }

  /** One look for work (also run by start's timer); never throws. */
  tick(): Promise<void> {
    this.ticking ??= this.tickOnce()
      .catch((error: unknown) => this.options.log?.("live sync tick failed", { error: String(error) }))
      .finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async tickOnce(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    // A watch on a mailbox that may no longer be read is dropped at once, sending nothing.
    for (const [id, { watch, target }] of this.watches)
      if (!(await isMailboxOpen(this.ctx, target.tenantId, target.mailbox))) {
        this.watches.delete(id);
        await watch.close();
      }
    const capacity = (this.options.concurrency ?? 4) - this.running.size;
    if (capacity <= 0) return;
    const due = await findDueMailboxes(this.ctx, this.deps, capacity + this.running.size);
    for (const target of due.filter((t) => !this.running.has(idOf(t))).slice(0, capacity)) this.run(target);
  }

  private run(target: Target): void {
    const id = idOf(target);
    if (this.running.has(id) || this.stopping.signal.aborted) return;
    const task = (async () => {
      const outcome = await syncMailbox(this.ctx, this.deps, target.tenantId, target, this.stopping.signal, {
        onlyWhenDue: true,
      });
      this.options.onCycle?.(target, outcome);
      if (outcome.status === "failed" || outcome.status === "paused")
        this.options.log?.(`live sync of ${target.mailbox}: ${outcome.status}`, { reason: outcome.reason });
      if (outcome.status === "synced" && this.options.watch !== false) await this.ensureWatch(target);
      if (outcome.status === "paused" || outcome.status === "not fetched") await this.dropWatch(id);
    })()
      .catch((error: unknown) => this.options.log?.("live sync cycle failed", { error: String(error) }))
      .finally(() => this.running.delete(id));
    this.running.set(id, task);
  }

  private async ensureWatch(target: Target): Promise<void> {
    const id = idOf(target);
    if (this.watches.has(id)) return;
    const watch = await openMailboxWatch(this.ctx, this.deps, target.tenantId, target);
    if (!watch) return;
    // The loop stopped (or another watch started) while this one was being set up.
    if (this.stopping.signal.aborted || this.watches.has(id)) {
      await watch.close();
      return;
    }
    this.watches.set(id, { watch, target });
    void this.follow(id, watch, target);
  }

  /** Waits for the server's word of new mail and syncs at once; ends when the watch does. */
  private async follow(id: string, watch: MailboxWatch, target: Target): Promise<void> {
    try {
      while (this.watches.get(id)?.watch === watch) {
        const pushed = await watch.wait(this.stopping.signal);
        if (!pushed) break;
        if (this.watches.get(id)?.watch !== watch || this.stopping.signal.aborted) break;
        await markMailboxDue(this.ctx, target.tenantId, target);
        if (!this.running.has(id)) this.run(target);
        else await this.running.get(id);
      }
    } catch (error) {
      if (!this.stopping.signal.aborted)
        this.options.log?.(`live watch of ${target.mailbox} ended`, { error: String(error) });
    } finally {
      await this.dropWatch(id, watch);
    }
  }

  private async dropWatch(id: string, only?: MailboxWatch): Promise<void> {
    const entry = this.watches.get(id);
    if (!entry || (only && entry.watch !== only)) return;
    this.watches.delete(id);
    await entry.watch.close();
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error("the live sync is stopping"));
    if (this.timer) clearInterval(this.timer);
    for (const { watch } of this.watches.values()) await watch.close();
    this.watches.clear();
    await this.ticking;
    await Promise.allSettled([...this.running.values()]);
  }
}
