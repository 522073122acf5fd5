import { sql } from "kysely";
import type { CollectedInteraction } from "../ingest/collect";
import {
  buildPairState,
  mergePairStates,
  type PairState,
  type StrengthParams,
  touchDirections,
  touchKinds,
  type Touch,
  type TouchDirection,
  type TouchKind,
} from "../insights/strength";
import { decodePairState, encodePairState } from "./pair-state-codec";
import { copyBytes, copyField, copyInto } from "./pg-copy";
import { lockTenantImports } from "./scope-lock";
import type { Store, Trx } from "./store";

/**
 * The PostgreSQL path of the interaction writer (interaction.repository.ts): a bulk path.
 *
 * Each chunk is COPYed into temporary staging tables of the batch's transaction (dropped at its
 * end, never WAL-logged): the interactions in the order SQLite inserts them (fingerprint order
 * per chunk), every party row, and every strength touch. Nothing touches the shared tables until
 * the batch has read everything; then `finish` takes the tenant's import lock and merges set-based:
 *
 * 1. `insert into interaction … select … order by ord on conflict do nothing returning id, seq`:
 *    dedupe by the fingerprint and Message-ID keys exactly as SQLite's `insert or ignore` row by
 *    row (the first copy in the same order wins); the kept `ord`s land in a staging table.
 * 2. party rows and people of the kept interactions, by `insert … select … on conflict`.
 * 3. the strength fold: the kept touches are read back through a cursor in (pair, staging) order
 *    with the stored state beside each pair's first touch, and folded with the same functions as
 *    SQLite — one `buildPairState` per pair per chunk, merged in chunk order onto the stored
 *    state — so both engines store identical states for the same batch (tested); the results are
 *    COPYed back and written by one `insert … on conflict do update` per table.
 *
 * Why the tenant's import lock (a transaction-scoped advisory lock) around the merge, and only
 * around it: the fold is read-modify-write in JavaScript, so two batches of one tenant merging at
 * once would each read the old state and the later commit would drop the other's touches; and an
 * interaction row inserted by an open batch blocks any other batch inserting the same message
 * until it commits — two batches meeting each other's mail early would wait on each other
 * (deadlock). Staging in temporary tables holds no lock, so several workers read, gate and COPY
 * their mailboxes in parallel, and only the merges take turns.
 */

/** Touch kinds and directions as small integers in the staging table. */
const kindCode = new Map<TouchKind, number>(touchKinds.map((k, i) => [k, i]));
const directionCode = new Map<TouchDirection, number>(touchDirections.map((d, i) => [d, i]));

/** Sort memory of the batch-end merge's statements (per sort, on the server). */
const mergeWorkMem = "128MB";

/** Rows per FETCH of the fold cursor (memory stays flat however many touches a batch has). */
const foldPage = 20_000;

/** How many staged fingerprints a writer remembers to skip later copies (as the SQLite path). */
const rememberedFingerprints = 100_000;

export interface StagedChunk {
  /** Interactions staged (each is stored unless the merge finds it already there). */
  staged: number;
  /** Copies skipped at once (a fingerprint this batch staged already). */
  duplicates: number;
}

export class PostgresBulkWriter {
  private created = false;
  private ord = 0;
  private chunk = 0;
  private touchSeq = 0;
  private partySeq = 0;
  private readonly staged = new Set<string>();
  /** Per chunk, told how many of its staged interactions the merge found to be duplicates. */
  private readonly onLate: ((duplicates: number) => void)[] = [];

  constructor(
    private readonly trx: Trx,
    private readonly tenantId: string,
    private readonly batchId: string,
    private readonly params: StrengthParams,
  ) {}

  private async create(): Promise<void> {
    if (this.created) return;
    this.created = true;
    await sql`create temp table kith_stage_interaction (ord bigint, chunk integer, id text, message_key text,
      kind text, occurred_at bigint, ended_at bigint, month integer, sender text, participants text,
      participant_count integer, internal_only integer, subject text, conversation_id text, in_reply_to text)
      on commit drop`.execute(this.trx);
    await sql`create temp table kith_stage_party (ord bigint, n bigint, address text, occurred_at bigint,
      role text, user_id text, name text) on commit drop`.execute(this.trx);
    await sql`create temp table kith_stage_touch (ord bigint, n bigint, chunk integer, internal boolean,
      a text, b text, at bigint, kind smallint, direction smallint, group_size integer) on commit drop`.execute(
      this.trx,
    );
    await sql`create temp table kith_stage_kept (ord bigint primary key, seq bigint) on commit drop`.execute(
      this.trx,
    );
    await sql`create temp table kith_stage_state (internal boolean, a text, b text, state bytea, last_at bigint)
      on commit drop`.execute(this.trx);
  }

  /** Stages one chunk (items in fingerprint order); `onLate` learns at the merge how many were duplicates. */
  async stageChunk(
    sorted: readonly CollectedInteraction[],
    onLate?: (duplicates: number) => void,
  ): Promise<StagedChunk> {
    await this.create();
    const chunk = this.chunk++;
    this.onLate[chunk] = onLate ?? (() => undefined);
    let interactions = "";
    let parties = "";
    let touches = "";
    let staged = 0;
    let previousId: string | null = null;
    for (const item of sorted) {
      if (item.id === previousId || this.staged.has(item.id)) continue;
      previousId = item.id;
      if (this.staged.size === rememberedFingerprints) this.staged.clear();
      this.staged.add(item.id);
      staged++;
      const ord = this.ord++;
      interactions += `${ord}\t${chunk}\t${copyField(item.id)}\t${copyField(item.messageKey)}\t${item.kind}\t${item.occurredAt}\t${copyField(item.endedAt)}\t${item.month}\t${copyField(item.sender)}\t${copyField(participantsJson(item))}\t${item.participantCount}\t${item.internalOnly ? 1 : 0}\t${copyField(item.subject)}\t${copyField(item.conversationId)}\t${copyField(item.inReplyTo)}\n`;
      for (const p of item.parties)
        parties += `${ord}\t${this.partySeq++}\t${copyField(p.address)}\t${item.occurredAt}\t${p.role}\t${copyField(p.userId)}\t${copyField(p.name)}\n`;
      for (const t of item.touches) touches += this.touchRow(ord, chunk, false, t.person, t.userId, t.touch);
      for (const t of item.internalTouches)
        touches += this.touchRow(ord, chunk, true, t.userA, t.userB, t.touch);
    }
    await copyInto(this.trx, "kith_stage_interaction", stageInteractionColumns, interactions);
    await copyInto(
      this.trx,
      "kith_stage_party",
      ["ord", "n", "address", "occurred_at", "role", "user_id", "name"],
      parties,
    );
    await copyInto(
      this.trx,
      "kith_stage_touch",
      ["ord", "n", "chunk", "internal", "a", "b", "at", "kind", "direction", "group_size"],
      touches,
    );
    return { staged, duplicates: sorted.length - staged };
  }

  private touchRow(ord: number, chunk: number, internal: boolean, a: string, b: string, t: Touch): string {
    return `${ord}\t${this.touchSeq++}\t${chunk}\t${internal ? "t" : "f"}\t${copyField(a)}\t${copyField(b)}\t${t.at}\t${kindCode.get(t.kind)}\t${directionCode.get(t.direction)}\t${t.groupSize}\n`;
  }

  /** Merges everything staged into the tenant's tables, under the tenant's import lock. */
  async finish(store: Store): Promise<void> {
    if (!this.created) return;
    const trx = this.trx;
    const tenant = this.tenantId;
    await lockTenantImports(trx, store, tenant);
    // The merge sorts the batch's staged rows (by staging order, party key, pair): with the default
    // 4 MB they spill to disk; for this transaction only (measured on 100k lines: merge 72 → 48 s).
    await sql`select set_config('work_mem', ${mergeWorkMem}, true)`.execute(trx);
    await sql`analyze kith_stage_interaction, kith_stage_party, kith_stage_touch`.execute(trx);
    await sql`with inserted as (
        insert into interaction (tenant_id, id, message_key, kind, occurred_at, ended_at, month, sender, participants,
          participant_count, internal_only, subject, conversation_id, in_reply_to, batch_id)
        select ${tenant}, id, message_key, kind, occurred_at, ended_at, month, sender, participants,
          participant_count, internal_only, subject, conversation_id, in_reply_to, ${this.batchId}
        from kith_stage_interaction order by ord
        on conflict do nothing
        returning id, seq)
      insert into kith_stage_kept (ord, seq)
      select min(s.ord), i.seq from inserted i join kith_stage_interaction s on s.id = i.id group by i.seq`.execute(
      trx,
    );
    await sql`analyze kith_stage_kept`.execute(trx);
    const late = await sql<{ chunk: number; n: number }>`select s.chunk, count(*)::integer as n
      from kith_stage_interaction s where not exists (select 1 from kith_stage_kept k where k.ord = s.ord)
      group by s.chunk`.execute(trx);
    for (const row of late.rows) this.onLate[row.chunk]?.(row.n);
    await sql`insert into interaction_party (tenant_id, address, occurred_at, seq, role, user_id)
      select ${tenant}, p.address, p.occurred_at, k.seq, p.role, p.user_id
      from kith_stage_party p join kith_stage_kept k on k.ord = p.ord
      order by p.address, p.occurred_at, k.seq
      on conflict do nothing`.execute(trx);
    // A person's name: the first one given, in the order SQLite folds them (staging order).
    await sql`insert into person (tenant_id, address, name, domain, first_at, last_at)
      select ${tenant}, p.address, (array_agg(p.name order by p.n) filter (where p.name is not null))[1],
        regexp_replace(p.address, '^.*@', ''), min(p.occurred_at), max(p.occurred_at)
      from kith_stage_party p join kith_stage_kept k on k.ord = p.ord
      where p.user_id is null
      group by p.address order by p.address
      on conflict (tenant_id, address) do update set
        name = coalesce(person.name, excluded.name),
        first_at = least(person.first_at, excluded.first_at),
        last_at = greatest(person.last_at, excluded.last_at)`.execute(trx);
    await this.foldStates();
  }

  private async foldStates(): Promise<void> {
    const trx = this.trx;
    const tenant = this.tenantId;
    // The stored state rides on each pair's first touch row only (row_number 1).
    await sql`declare kith_fold no scroll cursor for
      select t.internal, t.a, t.b, t.chunk, t.at, t.kind, t.direction, t.group_size,
        case when row_number() over (partition by t.internal, t.a, t.b order by t.n) = 1
          then coalesce(
            (select s.state from pair_state s
              where not t.internal and s.tenant_id = ${tenant} and s.person = t.a and s.user_id = t.b),
            (select s.state from internal_pair_state s
              where t.internal and s.tenant_id = ${tenant} and s.user_a = t.a and s.user_b = t.b)) end as stored
      from kith_stage_touch t join kith_stage_kept k on k.ord = t.ord
      order by t.internal, t.a collate "C", t.b collate "C", t.n`.execute(trx);
    let current: { internal: boolean; a: string; b: string; chunk: number; state: PairState | null } | null =
      null;
    let touches: Touch[] = [];
    let out = "";
    const closeChunk = () => {
      if (!current || touches.length === 0) return;
      const delta = buildPairState(touches, this.params);
      current.state = current.state ? mergePairStates(current.state, delta, this.params) : delta;
      touches = [];
    };
    const closePair = () => {
      closeChunk();
      if (!current?.state) return;
      const s = current.state;
      out += `${current.internal ? "t" : "f"}\t${copyField(current.a)}\t${copyField(current.b)}\t${copyBytes(encodePairState(s))}\t${s.lastAt ?? 0}\n`;
    };
    for (;;) {
      const page = await sql<FoldRow>`fetch ${sql.raw(String(foldPage))} from kith_fold`.execute(trx);
      for (const r of page.rows) {
        if (!current || r.internal !== current.internal || r.a !== current.a || r.b !== current.b) {
          closePair();
          current = {
            internal: r.internal,
            a: r.a,
            b: r.b,
            chunk: r.chunk,
            state: r.stored ? decodePairState(r.stored) : null,
          };
        } else if (r.chunk !== current.chunk) {
          closeChunk();
          current.chunk = r.chunk;
        }
        touches.push({
          at: Number(r.at),
          kind: touchKinds[r.kind]!,
          direction: touchDirections[r.direction]!,
          groupSize: r.group_size,
        });
      }
      await copyInto(trx, "kith_stage_state", ["internal", "a", "b", "state", "last_at"], out);
      out = "";
      if (page.rows.length < foldPage) break;
    }
    closePair();
    await copyInto(trx, "kith_stage_state", ["internal", "a", "b", "state", "last_at"], out);
    await sql`close kith_fold`.execute(trx);
    await sql`insert into pair_state (tenant_id, person, user_id, state, last_at)
      select ${tenant}, a, b, state, last_at from kith_stage_state where not internal order by a, b
      on conflict (tenant_id, person, user_id) do update set state = excluded.state, last_at = excluded.last_at`.execute(
      trx,
    );
    await sql`insert into internal_pair_state (tenant_id, user_a, user_b, state, last_at)
      select ${tenant}, a, b, state, last_at from kith_stage_state where internal order by a, b
      on conflict (tenant_id, user_a, user_b) do update set state = excluded.state, last_at = excluded.last_at`.execute(
      trx,
    );
  }
}

interface FoldRow {
  internal: boolean;
  a: string;
  b: string;
  chunk: number;
  at: number;
  kind: number;
  direction: number;
  group_size: number;
  stored: Buffer | null;
}

const stageInteractionColumns = [
  "ord",
  "chunk",
  "id",
  "message_key",
  "kind",
  "occurred_at",
  "ended_at",
  "month",
  "sender",
  "participants",
  "participant_count",
  "internal_only",
  "subject",
  "conversation_id",
  "in_reply_to",
];

/** JSON `[[address, role, userId|null], …]`, built by hand: it is written for every stored interaction. */
export function participantsJson(item: CollectedInteraction): string {
  let out = "[";
  for (const p of item.parties) {
    if (out.length > 1) out += ",";
    out += `[${jsonString(p.address)},"${p.role}",${p.userId === null ? "null" : jsonString(p.userId)}]`;
  }
  return `${out}]`;
}

/** True when JSON needs more than the two quotes around `s` (quote, backslash, control or line separators). */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

const jsonString = (s: string): string => (needsEscape(s) ? JSON.stringify(s) : `"${s}"`);
