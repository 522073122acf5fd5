import type Sqlite from "better-sqlite3";
import type { CollectedInteraction } from "../ingest/collect";
import {
  buildPairState,
  mergePairStates,
  type PairState,
  type StrengthParams,
  type Touch,
} from "../insights/strength";
import { chunked } from "./chunk";
import {
  addressKeyVariant,
  addressKeyVariants,
  domainOfAddress,
  personDomainKey,
  ensureAddressNums,
  ensureColleagueNums,
  keyToInt,
  kindCode,
  packParties,
  rememberTenantNum,
  roleCode,
  tenantNum,
  threadKey,
  type PackedParty,
} from "./collected-keys";
import { cipherFor, type TenantCipher } from "./field-cipher";
import { PostgresBulkWriter } from "./interaction-copy";
import { decodePairState, encodePairState } from "./pair-state-codec";
import type { Store, Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Writes collected interactions in chunks inside the caller's transaction. Dedupe lives in the
 * database (unique fingerprint and message keys), so memory stays flat however large the batch,
 * and re-running a batch after a crash inserts only what is missing. Strength state is folded
 * only for interactions actually inserted, so a duplicate never counts twice.
 *
 * Rows are the lean schema's (migration 0060, store/collected-keys.ts): addresses and colleagues
 * as numbers of the tenant's address book and colleague table (numbered on first sight, checked
 * against the store once per batch), participants packed, the 64-bit keys as integers, the
 * subject and names sealed by the tenant's cipher.
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

/** A chunk's touches per pair, as a → b → touches (numbers: person or colleague a, colleague b). */
type PairDeltas = Map<number, Map<number, Touch[]>>;

function addTouch(deltas: PairDeltas, a: number, b: number, touch: Touch): void {
  let inner = deltas.get(a);
  if (inner === undefined) deltas.set(a, (inner = new Map<number, Touch[]>()));
  const touches = inner.get(b);
  if (touches === undefined) inner.set(b, [touch]);
  else touches.push(touch);
}

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const byNumber = (x: number, y: number) => x - y;

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
 * batch has stored is certain to be refused by the unique key: skipping it saves its packing,
 * its binds and the index probes. Bounded (cleared when full, ~11 MB), so an 8M-message batch does
 * not keep every fingerprint.
 */
const rememberedFingerprints = 100_000;

export class InteractionWriter {
  private sqliteState: SqliteWriter | null = null;
  /** Fingerprints this writer stored (SQLite), up to `rememberedFingerprints`. */
  private readonly stored = new Set<string>();

  /** PostgreSQL's bulk path (null on SQLite). */
  private readonly bulk: PostgresBulkWriter | null;

  constructor(
    private readonly store: Store,
    private readonly trx: Trx,
    private readonly tenantId: string,
    batchId: string,
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
    const w = (this.sqliteState ??= new SqliteWriter(
      this.store.sqlite!,
      this.tenantId,
      await tenantNum(this.trx, this.tenantId),
    ));
    w.resolveAddresses(sorted);
    const inserted = this.insertSqlite(w, sorted);
    const pairs: PairDeltas = new Map();
    const internal: PairDeltas = new Map();
    const persons = new Map<number, { address: string; name: string | null; first: number; last: number }>();
    for (const item of inserted) {
      for (const t of item.touches) addTouch(pairs, w.address(t.person), w.colleague(t.userId), t.touch);
      for (const t of item.internalTouches)
        addTouch(internal, w.colleague(t.userA), w.colleague(t.userB), t.touch);
      for (const p of item.parties) {
        if (p.userId) continue;
        const num = w.address(p.address);
        const seen = persons.get(num);
        if (!seen)
          persons.set(num, {
            address: p.address,
            name: p.name,
            first: item.occurredAt,
            last: item.occurredAt,
          });
        else {
          if (item.occurredAt < seen.first) seen.first = item.occurredAt;
          if (item.occurredAt > seen.last) seen.last = item.occurredAt;
          seen.name ??= p.name;
        }
      }
    }
    this.foldStates(w.stagePair, pairs);
    this.foldStates(w.stageInternal, internal);
    for (const num of [...persons.keys()].sort(byNumber)) {
      const p = persons.get(num)!;
      w.stagePerson.add(
        num,
        p.name === null ? null : w.cipher.seal("name", p.name),
        w.domainKey(domainOfAddress(p.address)),
        p.first,
        p.last,
      );
    }
    return { inserted: inserted.length, duplicates: items.length - inserted.length };
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
    this.sqliteState?.finish(this.params);
    return Promise.resolve();
  }

  private insertSqlite(w: SqliteWriter, items: readonly CollectedInteraction[]): CollectedInteraction[] {
    const inserted: CollectedInteraction[] = [];
    const stored = this.stored;
    let previousId: string | null = null;
    for (const item of items) {
      // Items come in fingerprint order: a copy right behind its twin would hit the fingerprint key
      // (its twin was stored or already there); so would one whose fingerprint this batch stored.
      if (item.id === previousId || stored.has(item.id)) continue;
      previousId = item.id;
      const parties: PackedParty[] = new Array<PackedParty>(item.parties.length);
      for (let i = 0; i < item.parties.length; i++) {
        const p = item.parties[i]!;
        parties[i] = {
          address: w.address(p.address),
          role: roleCode(p.role),
          user: p.userId === null ? null : w.colleague(p.userId),
        };
      }
      const seq = w.insertInteraction(item, parties);
      if (seq === null) continue;
      if (stored.size === rememberedFingerprints) stored.clear();
      stored.add(item.id);
      inserted.push(item);
      for (const p of parties) w.stageParty.add(p.address, item.occurredAt, seq, p.role, p.user);
    }
    return inserted;
  }

  /** Folds each pair's touches of this chunk into a delta state, staged in key order. */
  private foldStates(stage: StagingAppender, deltas: PairDeltas): void {
    if (deltas.size === 0) return;
    for (const a of [...deltas.keys()].sort(byNumber)) {
      const inner = deltas.get(a)!;
      for (const b of [...inner.keys()].sort(byNumber)) {
        const state = buildPairState(inner.get(b)!, this.params);
        stage.add(a, b, encodePairState(state), state.lastAt ?? 0);
      }
    }
  }
}

/**
 * The SQLite side of one batch: the tenant's numbers (addresses and colleagues resolved once per
 * batch against the store, new ones numbered from the tenant's high-water marks), prepared
 * statements and staging tables.
 */
class SqliteWriter {
  readonly cipher: TenantCipher;
  private readonly addresses = new Map<string, number>();
  private readonly colleagues = new Map<string, number>();
  private readonly domainKeys = new Map<string, Buffer>();
  private addressHigh: number;
  private colleagueHigh: number;
  private seqHigh: number;
  private readonly findAddress: Sqlite.Statement;
  private readonly addAddress: Sqlite.Statement;
  private readonly findColleague: Sqlite.Statement;
  private readonly addColleague: Sqlite.Statement;
  private readonly interaction: Sqlite.Statement;
  readonly stageParty: StagingAppender;
  readonly stagePair: StagingAppender;
  readonly stageInternal: StagingAppender;
  readonly stagePerson: StagingAppender;
  private readonly db: Sqlite.Database;

  constructor(
    db: Sqlite.Database,
    tenantId: string,
    private readonly tenant: number,
  ) {
    this.db = db;
    this.cipher = cipherFor(tenantId);
    if (!withMergeFunction.has(db)) {
      withMergeFunction.add(db);
      db.function("kith_merge_pair_state", { deterministic: true }, (stored: unknown, delta: unknown) => {
        if (!mergeParams) throw new Error("kith_merge_pair_state used outside an import");
        return encodePairState(
          mergePairStates(decodePairState(stored as Buffer), decodePairState(delta as Buffer), mergeParams),
        );
      });
    }
    const highs = db
      .prepare(
        `select address_high, colleague_high, interaction_high,
          (select max(num) from address_book where tenant_num = t.num) as address_max,
          (select max(num) from colleague where tenant_num = t.num) as colleague_max,
          (select max(seq) from interaction where tenant_num = t.num) as seq_max
        from tenant t where num = ?`,
      )
      .get(tenant) as Record<string, number | null>;
    this.addressHigh = Math.max(highs.address_high ?? 0, highs.address_max ?? 0);
    this.colleagueHigh = Math.max(highs.colleague_high ?? 0, highs.colleague_max ?? 0);
    this.seqHigh = Math.max(highs.interaction_high ?? 0, highs.seq_max ?? 0);
    this.findAddress = db.prepare("select num, sealed from address_book where tenant_num = ? and key = ?");
    this.addAddress = db.prepare(
      "insert into address_book (tenant_num, num, key, sealed) values (?, ?, ?, ?)",
    );
    this.findColleague = db.prepare("select num from colleague where tenant_num = ? and user_id = ?").pluck();
    this.addColleague = db.prepare("insert into colleague (tenant_num, num, user_id) values (?, ?, ?)");
    this.interaction = db.prepare(
      `insert or ignore into interaction (tenant_num, seq, fingerprint, message_key, kind, occurred_at, ended_at,
       sender, parties, participant_count, internal_only, subject, conversation_id, in_reply_to)
       values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    // Staging tables live in the connection's temp database (a file: store.ts sets temp_store):
    // appends there cost a fraction of a random B-tree insert into the real tables.
    db.exec(`
      create temp table if not exists kith_lean_party (address_num integer, occurred_at integer, seq integer, role integer, user_num integer);
      create temp table if not exists kith_lean_pair (a integer, b integer, state blob, last_at integer);
      create temp table if not exists kith_lean_internal (a integer, b integer, state blob, last_at integer);
      create temp table if not exists kith_lean_person (num integer, name blob, domain_key blob, first_at integer, last_at integer);`);
    this.clear();
    this.stageParty = new StagingAppender(db, "kith_lean_party", 5);
    this.stagePair = new StagingAppender(db, "kith_lean_pair", 4);
    this.stageInternal = new StagingAppender(db, "kith_lean_internal", 4);
    this.stagePerson = new StagingAppender(db, "kith_lean_person", 5);
  }

  private clear(): void {
    this.db.exec(
      "delete from kith_lean_party; delete from kith_lean_pair; delete from kith_lean_internal; delete from kith_lean_person;",
    );
  }

  /**
   * Numbers every address of `items` this batch has not met yet, in the order of their keys: the
   * look-ups and the new entries walk the key index once, page after page, instead of one random
   * page per address (53k new addresses of a 100k batch: ~750 → ~490 ms of look-ups and inserts,
   * in one profile).
   */
  resolveAddresses(items: readonly CollectedInteraction[]): void {
    const fresh = new Set<string>();
    for (const item of items) {
      if (item.sender !== null && !this.addresses.has(item.sender)) fresh.add(item.sender);
      for (const p of item.parties) if (!this.addresses.has(p.address)) fresh.add(p.address);
    }
    if (fresh.size === 0) return;
    const keyed = [...fresh]
      .map((address) => ({ address, key: addressKeyVariant(this.cipher, address, 0) }))
      .sort((x, y) => Buffer.compare(x.key, y.key));
    const missing: { address: string; key: Buffer }[] = [];
    for (const k of keyed) {
      const row = this.findAddress.get(this.tenant, k.key) as { num: number; sealed: Buffer } | undefined;
      if (!row) missing.push(k);
      else if (this.cipher.open("address", row.sealed) === k.address) this.addresses.set(k.address, row.num);
      else this.address(k.address); // a collision: the slow path probes the next variants
    }
    let previous: Buffer | null = null;
    for (const k of missing) {
      // Two new addresses under one key (a collision within the chunk): the second probes on.
      if (previous !== null && previous.equals(k.key)) {
        this.address(k.address);
        continue;
      }
      previous = k.key;
      const num = ++this.addressHigh;
      this.addAddress.run(this.tenant, num, k.key, this.cipher.seal("address", k.address));
      this.addresses.set(k.address, num);
    }
  }

  /** The address's number: from this batch, the book, or the next free one. */
  address(address: string): number {
    const known = this.addresses.get(address);
    if (known !== undefined) return known;
    let num: number | null = null;
    for (let variant = 0; variant < addressKeyVariants; variant++) {
      const key = addressKeyVariant(this.cipher, address, variant);
      const row = this.findAddress.get(this.tenant, key) as { num: number; sealed: Buffer } | undefined;
      if (!row) {
        num = ++this.addressHigh;
        this.addAddress.run(this.tenant, num, key, this.cipher.seal("address", address));
        break;
      }
      // Another address under the same 64-bit key (a collision): try the next variant.
      if (this.cipher.open("address", row.sealed) === address) {
        num = row.num;
        break;
      }
    }
    if (num === null) throw new Error("address key variants exhausted");
    this.addresses.set(address, num);
    return num;
  }

  /** The colleague's number: from this batch, the table, or the next free one. */
  colleague(userId: string): number {
    const known = this.colleagues.get(userId);
    if (known !== undefined) return known;
    let num = this.findColleague.get(this.tenant, userId) as number | undefined;
    if (num === undefined) {
      num = ++this.colleagueHigh;
      this.addColleague.run(this.tenant, num, userId);
    }
    this.colleagues.set(userId, num);
    return num;
  }

  domainKey(domain: string): Buffer {
    let key = this.domainKeys.get(domain);
    if (!key) this.domainKeys.set(domain, (key = personDomainKey(this.cipher, domain)));
    return key;
  }

  /** Inserts the interaction; its seq, or null when a dedupe key found it stored already. */
  insertInteraction(item: CollectedInteraction, parties: readonly PackedParty[]): number | null {
    const seq = this.seqHigh + 1;
    const result = this.interaction.run(
      this.tenant,
      seq,
      keyToInt(item.id),
      item.messageKey === null ? null : keyToInt(item.messageKey),
      kindCode(item.kind),
      item.occurredAt,
      item.endedAt,
      item.sender === null ? null : this.address(item.sender),
      packParties(parties),
      item.participantCount,
      item.internalOnly ? 1 : 0,
      item.subject === null ? null : this.cipher.seal("subject", item.subject),
      threadKey(item.conversationId),
      threadKey(item.inReplyTo),
    );
    if (result.changes === 0) return null;
    this.seqHigh = seq;
    return seq;
  }

  /** Merges the staged rows, each table in key order, and keeps the high-water marks. */
  finish(params: StrengthParams): void {
    const db = this.db;
    for (const stage of [this.stageParty, this.stagePair, this.stageInternal, this.stagePerson])
      stage.flush();
    const t = this.tenant;
    db.prepare(
      `insert or ignore into interaction_party (tenant_num, address_num, occurred_at, seq, role, user_num)
       select ?, address_num, occurred_at, seq, role, user_num from kith_lean_party
       order by address_num, occurred_at, seq`,
    ).run(t);
    const mergeState = (table: string, stage: string, a: string, b: string) =>
      db
        .prepare(
          `insert into ${table} (tenant_num, ${a}, ${b}, state, last_at)
           select ?, a, b, state, last_at from ${stage} where true order by a, b, rowid
           on conflict (tenant_num, ${a}, ${b}) do update set
             state = kith_merge_pair_state(state, excluded.state), last_at = max(last_at, excluded.last_at)`,
        )
        .run(t);
    mergeParams = params;
    try {
      mergeState("pair_state", "kith_lean_pair", "person_num", "user_num");
      mergeState("internal_pair_state", "kith_lean_internal", "user_a", "user_b");
    } finally {
      mergeParams = null;
    }
    db.prepare(
      `insert into person (tenant_num, num, name, domain_key, first_at, last_at)
       select ?, num, name, domain_key, first_at, last_at
       from kith_lean_person where true order by num, rowid
       on conflict (tenant_num, num) do update set
         name = coalesce(person.name, excluded.name),
         first_at = min(person.first_at, excluded.first_at),
         last_at = max(person.last_at, excluded.last_at)`,
    ).run(t);
    db.prepare(
      "update tenant set address_high = ?, colleague_high = ?, interaction_high = ? where num = ?",
    ).run(this.addressHigh, this.colleagueHigh, this.seqHigh, t);
    this.clear();
  }
}

/**
 * Writes rebuilt strength states (strength recompute, after the tables were cleared), keyed as
 * the fold keys them: `person\u0000userId` for pair_state, `userA\u0000userB` (user ids,
 * userA < userB) for internal_pair_state. Both engines.
 */
export async function writePairStates(
  trx: Trx,
  tenantId: string,
  table: "pair_state" | "internal_pair_state",
  states: ReadonlyMap<string, PairState>,
): Promise<void> {
  if (states.size === 0) return;
  const t = await tenantNum(trx, tenantId);
  rememberTenantNum(trx, tenantId, t);
  const split = [...states].map(([key, state]) => {
    const at = key.indexOf("\u0000");
    return { a: key.slice(0, at), b: key.slice(at + 1), state };
  });
  const as =
    table === "pair_state"
      ? await ensureAddressNums(
          trx,
          tenantId,
          split.map((r) => r.a),
        )
      : await ensureColleagueNums(
          trx,
          tenantId,
          split.map((r) => r.a),
        );
  const bs = await ensureColleagueNums(
    trx,
    tenantId,
    split.map((r) => r.b),
  );
  const rows = split
    .map((r) => ({ a: as.get(r.a)!, b: bs.get(r.b)!, state: r.state }))
    .sort((x, y) => x.a - y.a || x.b - y.b);
  const [ca, cb]: [string, string] =
    table === "pair_state" ? ["person_num", "user_num"] : ["user_a", "user_b"];
  await withTenant(tenantId, async () => {
    for (const slice of chunked(rows, 5)) {
      await trx
        .insertInto(table)
        .values(
          // One shape for both tables (pair_state's or internal_pair_state's column names).
          slice.map((r): Record<string, unknown> => ({
            tenant_num: t,
            [ca]: r.a,
            [cb]: r.b,
            state: encodePairState(r.state),
            last_at: r.state.lastAt ?? 0,
          })) as never[],
        )
        .execute();
    }
  });
}
