import type Sqlite from "better-sqlite3";
import type { CollectedInteraction } from "../ingest/collect";
import { buildPairState, mergePairStates, type StrengthParams, type Touch } from "../insights/strength";
import { PostgresBulkWriter, participantsJson } from "./interaction-copy";
import { decodePairState, encodePairState } from "./pair-state-codec";
import type { Store, Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Writes collected interactions in chunks inside the caller's transaction. Dedupe lives in the
 * database (unique fingerprint and message keys), so memory stays flat however large the batch,
 * and re-running a batch after a crash inserts only what is missing. Strength state is folded
 * only for interactions actually inserted, so a duplicate never counts twice.
 *
 * SQLite takes a hand-written path over prepared better-sqlite3 statements (Kysely's query
 * compilation per row costs more than the insert itself at millions of rows), and writes every
 * table of a chunk in its key order: interactions by fingerprint, party rows by (address, time),
 * strength pairs by (person, user). Sorted writes land on neighbouring B-tree pages, so a page is
 * fetched and dirtied once per chunk instead of once per row. Pair deltas of a chunk are folded in
 * memory and merged into the stored state by an upsert whose conflict branch calls a registered
 * function (no read-modify-write round trip; states are binary, see pair-state-codec.ts).
 *
 * PostgreSQL takes the bulk path of interaction-copy.ts: chunks COPYed into temporary staging
 * tables, merged set-based at `finish` under the tenant's import lock, with the same fold.
 */
export interface ChunkResult {
  inserted: number;
  duplicates: number;
}

/**
 * A chunk's touches per pair, as a → b → touches: nested, so that no `a\u0000b` key string is
 * built and hashed per touch (a third of the cost of grouping 136k Enron touches).
 */
type PairDeltas = Map<string, Map<string, Touch[]>>;

function addTouch(deltas: PairDeltas, a: string, b: string, touch: Touch): void {
  let inner = deltas.get(a);
  if (inner === undefined) deltas.set(a, (inner = new Map<string, Touch[]>()));
  const touches = inner.get(b);
  if (touches === undefined) inner.set(b, [touch]);
  else touches.push(touch);
}

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * The pairs of `deltas` in the order of their `a\u0000b` keys, the order pairs have always been
 * staged in (a batch's pairs merge in staging order, and float sums depend on it). Sorting the
 * a's, then each a's b's, is that order unless an `a` holds a NUL; then the keys are built.
 */
function pairsInKeyOrder(deltas: PairDeltas): { a: string; b: string; touches: Touch[] }[] {
  const out: { a: string; b: string; touches: Touch[] }[] = [];
  const as = [...deltas.keys()];
  if (as.some((a) => a.includes("\u0000"))) {
    for (const [a, inner] of deltas) for (const [b, touches] of inner) out.push({ a, b, touches });
    return out.sort((x, y) => compareText(`${x.a}\u0000${x.b}`, `${y.a}\u0000${y.b}`));
  }
  // Native sorts of plain strings, no comparator call per comparison.
  for (const a of as.sort()) {
    const inner = deltas.get(a)!;
    for (const b of [...inner.keys()].sort()) out.push({ a, b, touches: inner.get(b)! });
  }
  return out;
}

/** Rows per multi-row insert into a staging table (32 to 64 measured alike; 8 nearly as good). */
const rowsPerStatement = 32;

/**
 * Appends rows to one staging table, `rowsPerStatement` rows per statement run: the per-run cost
 * of better-sqlite3 (~0.5 µs) was most of a staged row (189k party rows for Enron: 160 ms single-row,
 * 90 ms in 32-row statements). Rows land in the order added; `flush` writes what is left.
 */
class StagingAppender {
  private readonly many: Sqlite.Statement;
  private readonly one: Sqlite.Statement;
  private readonly values: unknown[];
  private filled = 0;

  constructor(
    db: Sqlite.Database,
    table: string,
    private readonly width: 4 | 5,
  ) {
    const row = `(${"?,".repeat(width - 1)}?)`;
    this.many = db.prepare(`insert into ${table} values ${`${row},`.repeat(rowsPerStatement - 1)}${row}`);
    this.one = db.prepare(`insert into ${table} values ${row}`);
    this.values = new Array<unknown>(width * rowsPerStatement);
  }

  /** One row: the first `width` arguments. */
  add(v0: unknown, v1: unknown, v2: unknown, v3: unknown, v4?: unknown): void {
    const values = this.values;
    let i = this.filled;
    values[i++] = v0;
    values[i++] = v1;
    values[i++] = v2;
    values[i++] = v3;
    if (this.width === 5) values[i++] = v4;
    if (i < values.length) {
      this.filled = i;
      return;
    }
    this.many.run(values);
    this.filled = 0;
  }

  flush(): void {
    for (let i = 0; i < this.filled; i += this.width) this.one.run(this.values.slice(i, i + this.width));
    this.filled = 0;
  }
}

/** Strength parameters the SQLite merge function folds with (one import runs at a time per connection). */
let mergeParams: StrengthParams | null = null;
const withMergeFunction = new WeakSet<object>();

/**
 * How many stored fingerprints a writer remembers. Copies of one message often sit in different
 * files of a batch (Enron: 12k of 40k collected, mostly across folders), and a fingerprint the
 * batch has stored is certain to be refused by the unique key: skipping it saves its JSON, its 15
 * binds and the index probes. Bounded (cleared when full, ~11 MB), so an 8M-message batch does not
 * keep every fingerprint.
 */
const rememberedFingerprints = 100_000;

export class InteractionWriter {
  private sqliteStatements: ReturnType<InteractionWriter["prepareSqlite"]> | null = null;
  /** Fingerprints this writer stored (SQLite), up to `rememberedFingerprints`. */
  private readonly stored = new Set<string>();

  /** PostgreSQL's bulk path (null on SQLite). */
  private readonly bulk: PostgresBulkWriter | null;

  constructor(
    private readonly store: Store,
    trx: Trx,
    private readonly tenantId: string,
    private readonly batchId: string,
    private readonly params: StrengthParams,
  ) {
    this.bulk = store.sqlite ? null : new PostgresBulkWriter(trx, tenantId, batchId, params);
  }

  /**
   * Writes one chunk. On SQLite the result is final; on PostgreSQL the chunk is only staged
   * (interaction-copy.ts) and `inserted` counts what was staged: `onLateDuplicates` is told, at
   * `finish`, how many of those the merge found already stored.
   */
  writeChunk(
    items: readonly CollectedInteraction[],
    onLateDuplicates?: (duplicates: number) => void,
  ): Promise<ChunkResult> {
    return withTenant(this.tenantId, () => this.writeChunkOfTenant(items, onLateDuplicates));
  }

  private async writeChunkOfTenant(
    items: readonly CollectedInteraction[],
    onLateDuplicates?: (duplicates: number) => void,
  ): Promise<ChunkResult> {
    // Fingerprint order: neighbouring keys share B-tree pages (and the outcome of dedupe within a
    // chunk no longer depends on where a chunk boundary fell… except for which copy wins, which
    // carries the same data).
    const sorted = items.slice().sort((x, y) => compareText(x.id, y.id));
    if (this.bulk) {
      const staged = await this.bulk.stageChunk(sorted, onLateDuplicates);
      return { inserted: staged.staged, duplicates: staged.duplicates };
    }
    const inserted = this.insertSqlite(sorted);
    const pairs: PairDeltas = new Map();
    const internal: PairDeltas = new Map();
    const persons = new Map<string, { name: string | null; first: number; last: number }>();
    for (const item of inserted) {
      for (const t of item.touches) addTouch(pairs, t.person, t.userId, t.touch);
      for (const t of item.internalTouches) addTouch(internal, t.userA, t.userB, t.touch);
      for (const p of item.parties) {
        if (p.userId) continue;
        const seen = persons.get(p.address);
        if (!seen) persons.set(p.address, { name: p.name, first: item.occurredAt, last: item.occurredAt });
        else {
          if (item.occurredAt < seen.first) seen.first = item.occurredAt;
          if (item.occurredAt > seen.last) seen.last = item.occurredAt;
          seen.name ??= p.name;
        }
      }
    }
    this.foldStates("pair_state", pairs);
    this.foldStates("internal_pair_state", internal);
    this.upsertPersons(persons);
    return { inserted: inserted.length, duplicates: items.length - inserted.length };
  }

  private prepareSqlite() {
    const db = this.store.sqlite!;
    if (!withMergeFunction.has(db)) {
      withMergeFunction.add(db);
      db.function("kith_merge_pair_state", { deterministic: true }, (stored: unknown, delta: unknown) => {
        if (!mergeParams) throw new Error("kith_merge_pair_state used outside an import");
        return encodePairState(
          mergePairStates(decodePairState(stored as Buffer), decodePairState(delta as Buffer), mergeParams),
        );
      });
    }
    // Staging tables live in the connection's temp database (a file: store.ts sets temp_store):
    // appends there cost a fraction of a random B-tree insert into the real tables.
    db.exec(`
      create temp table if not exists kith_stage_party (address text, occurred_at integer, seq integer, role text, user_id text);
      create temp table if not exists kith_stage_pair (a text, b text, state blob, last_at integer);
      create temp table if not exists kith_stage_internal (a text, b text, state blob, last_at integer);
      create temp table if not exists kith_stage_person (address text, name text, domain text, first_at integer, last_at integer);
      delete from kith_stage_party; delete from kith_stage_pair; delete from kith_stage_internal; delete from kith_stage_person;`);
    const mergeState = (table: string, stage: string, a: string, b: string) =>
      db.prepare(
        `insert into ${table} (tenant_id, ${a}, ${b}, state, last_at)
         select ?, a, b, state, last_at from ${stage} where true order by a, b, rowid
         on conflict (tenant_id, ${a}, ${b}) do update set
           state = kith_merge_pair_state(state, excluded.state), last_at = max(last_at, excluded.last_at)`,
      );
    const stageParty = new StagingAppender(db, "kith_stage_party", 5);
    const stagePair = new StagingAppender(db, "kith_stage_pair", 4);
    const stageInternal = new StagingAppender(db, "kith_stage_internal", 4);
    const stagePerson = new StagingAppender(db, "kith_stage_person", 5);
    return {
      interaction: db.prepare(
        `insert or ignore into interaction (tenant_id, id, message_key, kind, occurred_at, ended_at, month, sender, participants,
         participant_count, internal_only, subject, conversation_id, in_reply_to, batch_id) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      stageParty,
      pair_state: stagePair,
      internal_pair_state: stageInternal,
      stagePerson,
      /** Every appender, flushed before the batch-end merges (an import can have a chunk per small file). */
      stages: [stageParty, stagePair, stageInternal, stagePerson],
      mergeParty: db.prepare(
        `insert or ignore into interaction_party (tenant_id, address, occurred_at, seq, role, user_id)
         select ?, address, occurred_at, seq, role, user_id from kith_stage_party
         order by address, occurred_at, seq`,
      ),
      mergePair: mergeState("pair_state", "kith_stage_pair", "person", "user_id"),
      mergeInternal: mergeState("internal_pair_state", "kith_stage_internal", "user_a", "user_b"),
      mergePerson: db.prepare(
        `insert into person (tenant_id, address, name, domain, first_at, last_at)
         select ?, address, name, domain, first_at, last_at
         from kith_stage_person where true order by address
         on conflict (tenant_id, address) do update set
           name = coalesce(person.name, excluded.name),
           first_at = min(person.first_at, excluded.first_at),
           last_at = max(person.last_at, excluded.last_at)`,
      ),
      clear: () =>
        db.exec(
          `delete from kith_stage_party; delete from kith_stage_pair; delete from kith_stage_internal; delete from kith_stage_person;`,
        ),
    };
  }

  /**
   * Merges what the chunks staged into the real tables, each in its key order (PostgreSQL:
   * interaction-copy.ts). Called once at the end of the batch, inside its transaction: a sorted merge
   * touches every B-tree page at most once, where per-row inserts in hash order touch a random page
   * each (measured: 1M pair upserts 35 s per row vs 8 s staged and merged, docs/benchmarks.md "Ingest").
   */
  finish(): Promise<void> {
    if (this.bulk) {
      const bulk = this.bulk;
      return withTenant(this.tenantId, () => bulk.finish(this.store));
    }
    if (!this.sqliteStatements) return Promise.resolve();
    const s = this.sqliteStatements;
    for (const stage of s.stages) stage.flush();
    s.mergeParty.run(this.tenantId);
    mergeParams = this.params;
    try {
      s.mergePair.run(this.tenantId);
      s.mergeInternal.run(this.tenantId);
    } finally {
      mergeParams = null;
    }
    s.mergePerson.run(this.tenantId);
    s.clear();
    return Promise.resolve();
  }

  private statements() {
    return (this.sqliteStatements ??= this.prepareSqlite());
  }

  private insertSqlite(items: readonly CollectedInteraction[]): CollectedInteraction[] {
    const s = this.statements();
    const tenant = this.tenantId;
    const inserted: CollectedInteraction[] = [];
    const stored = this.stored;
    let previousId: string | null = null;
    for (const item of items) {
      // Items come in fingerprint order: a copy right behind its twin would hit the fingerprint key
      // (its twin was stored or already there); so would one whose fingerprint this batch stored.
      if (item.id === previousId || stored.has(item.id)) continue;
      previousId = item.id;
      const result = s.interaction.run(
        tenant,
        item.id,
        item.messageKey,
        item.kind,
        item.occurredAt,
        item.endedAt,
        item.month,
        item.sender,
        participantsJson(item),
        item.participantCount,
        item.internalOnly ? 1 : 0,
        item.subject,
        item.conversationId,
        item.inReplyTo,
        this.batchId,
      );
      if (result.changes === 0) continue;
      if (stored.size === rememberedFingerprints) stored.clear();
      stored.add(item.id);
      inserted.push(item);
      const seq = result.lastInsertRowid;
      for (const p of item.parties) s.stageParty.add(p.address, item.occurredAt, seq, p.role, p.userId);
    }
    return inserted;
  }

  /** Folds each pair's touches of this chunk into its stored state, in key order. */
  private foldStates(table: "pair_state" | "internal_pair_state", deltas: PairDeltas): void {
    if (deltas.size === 0) return;
    const ordered = pairsInKeyOrder(deltas);
    const stage = this.statements()[table];
    for (const d of ordered) {
      const state = buildPairState(d.touches, this.params);
      stage.add(d.a, d.b, encodePairState(state), state.lastAt ?? 0);
    }
  }

  private upsertPersons(persons: Map<string, { name: string | null; first: number; last: number }>): void {
    if (persons.size === 0) return;
    const s = this.statements();
    for (const [address, p] of persons)
      s.stagePerson.add(address, p.name, domainPart(address), p.first, p.last);
  }
}

function domainPart(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}
