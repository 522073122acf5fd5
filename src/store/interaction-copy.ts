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
import {
  domainOfAddress,
  personDomainKey,
  ensureAddressNums,
  keyToInt,
  kindCode,
  roleCode,
  tenantNum,
  threadKey,
} from "./collected-keys";
import { cipherFor, type TenantCipher } from "./field-cipher";
import { decodePairState, encodePairState } from "./pair-state-codec";
import { copyBytes, copyField, copyInto } from "./pg-copy";
import { ensureMonthPartitions } from "./partitions";
import { lockTenantImports } from "./scope-lock";
import type { Store, Trx } from "./store";

/**
 * The PostgreSQL path of the interaction writer (interaction.repository.ts): a bulk path.
 *
 * Each chunk is COPYed into temporary staging tables of the batch's transaction (dropped at its
 * end, never WAL-logged): the interactions in the order SQLite inserts them (fingerprint order
 * per chunk), every party row, and every strength touch, addresses and colleagues as numbers of
 * the batch's own (the store's numbers need the lock). Nothing touches the shared tables until
 * the batch has read everything; then `finish` takes the tenant's import lock and merges set-based:
 *
 * 0. the batch's addresses and colleagues get the store's numbers (`numberParties`: matched to the
 *    tenant's book by key, new ones numbered from its high-water mark and inserted); each
 *    interaction's participants are packed in SQL from its staged party rows (the same bytes as
 *    `packParties`: the fold test compares both engines' rows).
 * 1. dedupe by the fingerprint and Message-ID keys exactly as SQLite's `insert or ignore` row by
 *    row (the first copy in the same order wins; `markSkipped`: the partitioned tables' unique
 *    keys hold the month, so store-wide uniqueness is decided here), the months' partitions made
 *    (`ensurePartitions`), then `insert into interaction … select … order by ord returning …`; the
 *    kept `ord`s land in a staging table.
 * 2. party rows and people of the kept interactions, by `insert … select … on conflict`.
 * 3. the strength fold: the kept touches are read back through a cursor, one row per pair and
 *    chunk in staging order, with the stored state beside each pair's first row, and folded with the same functions as
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
const kindCodeOf = new Map<TouchKind, number>(touchKinds.map((k, i) => [k, i]));
const directionCode = new Map<TouchDirection, number>(touchDirections.map((d, i) => [d, i]));

/** Sort memory of the batch-end merge's statements (per sort, on the server). */
const mergeWorkMem = "128MB";

/** Rows per FETCH of the fold cursor (memory stays flat however many touches a batch has). */
const foldPage = 20_000;

/** How many staged fingerprints a writer remembers to skip later copies (as the SQLite path). */
const rememberedFingerprints = 100_000;

/** How many sealed names a writer keeps (names recur: a person signs every mail alike). */
const rememberedNames = 50_000;

export interface StagedChunk {
  /** Interactions staged (each is stored unless the merge finds it already there). */
  staged: number;
  /** Copies skipped at once (a fingerprint this batch staged already). */
  duplicates: number;
}

/**
 * `packParties` in SQL: an unsigned varint of up to five bytes (numbers below 2^35), for the
 * per-interaction `string_agg` of its party rows. A temporary function of the transaction's
 * session (pg_temp), inlined by the planner.
 */
const varintFunction = `create or replace function pg_temp.kith_varint(v bigint) returns bytea
  language sql immutable as $$
  select case
    when v < 128 then set_byte('\\x00'::bytea, 0, v::int)
    when v < 16384 then set_byte(set_byte('\\x0000'::bytea, 0, (v % 128 + 128)::int), 1, (v / 128)::int)
    when v < 2097152 then set_byte(set_byte(set_byte('\\x000000'::bytea, 0, (v % 128 + 128)::int),
      1, ((v / 128) % 128 + 128)::int), 2, (v / 16384)::int)
    when v < 268435456 then set_byte(set_byte(set_byte(set_byte('\\x00000000'::bytea, 0, (v % 128 + 128)::int),
      1, ((v / 128) % 128 + 128)::int), 2, ((v / 16384) % 128 + 128)::int), 3, (v / 2097152)::int)
    else set_byte(set_byte(set_byte(set_byte(set_byte('\\x0000000000'::bytea, 0, (v % 128 + 128)::int),
      1, ((v / 128) % 128 + 128)::int), 2, ((v / 16384) % 128 + 128)::int), 3, ((v / 2097152) % 128 + 128)::int),
      4, (v / 268435456)::int)
  end $$`;

export class PostgresBulkWriter {
  private created = false;
  private ord = 0;
  private chunk = 0;
  private touchSeq = 0;
  private partySeq = 0;
  private readonly staged = new Set<string>();
  /**
   * Every address and colleague the batch staged, with a number of the batch's own (the store's
   * numbers come at the merge): staging rows carry these instead of the texts.
   */
  private readonly addresses = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private readonly sealedNames = new Map<string, string>();
  private cipher: TenantCipher | null = null;
  /** Per chunk, told how many of its staged interactions the merge found to be duplicates. */
  private readonly onLate: ((duplicates: number) => void)[] = [];

  constructor(
    private readonly trx: Trx,
    private readonly tenantId: string,
    _batchId: string,
    private readonly params: StrengthParams,
  ) {}

  private async create(): Promise<void> {
    if (this.created) return;
    this.created = true;
    this.cipher = cipherFor(this.tenantId);
    await sql`create temp table kith_stage_interaction (ord bigint, chunk integer, fingerprint bigint,
      message_key bigint, kind smallint, occurred_at bigint, ended_at bigint, sender integer, participant_count integer,
      internal_only smallint, subject bytea, conversation_id bigint, in_reply_to bigint)
      on commit drop`.execute(this.trx);
    await sql`create temp table kith_stage_party (ord bigint, n bigint, address integer, occurred_at bigint,
      role smallint, user_id integer, name bytea) on commit drop`.execute(this.trx);
    await sql`create temp table kith_stage_touch (ord bigint, n bigint, chunk integer, internal boolean,
      a integer, b integer, at bigint, kind smallint, direction smallint, group_size integer) on commit drop`.execute(
      this.trx,
    );
    await sql`create temp table kith_stage_kept (ord bigint primary key, seq bigint) on commit drop`.execute(
      this.trx,
    );
    await sql`create temp table kith_stage_state (internal boolean, a integer, b integer, state bytea, last_at bigint)
      on commit drop`.execute(this.trx);
    // The batch's addresses and colleagues with their numbers (`vnum`: the number as packParties
    // writes it), `stored` the sealed address the book held, `fresh` for the ones numbered now.
    await sql`create temp table kith_stage_address (local integer primary key, address text, key bytea, sealed bytea,
      domain_key bytea, num integer, stored bytea, fresh boolean not null default false, vnum bytea)
      on commit drop`.execute(this.trx);
    await sql`create temp table kith_stage_colleague (local integer primary key, user_id text, num integer,
      fresh boolean not null default false, vnum bytea) on commit drop`.execute(this.trx);
  }

  private sealName(name: string): string {
    let sealed = this.sealedNames.get(name);
    if (sealed === undefined) {
      if (this.sealedNames.size === rememberedNames) this.sealedNames.clear();
      sealed = copyBytes(this.cipher!.seal("name", name));
      this.sealedNames.set(name, sealed);
    }
    return sealed;
  }

  /** Stages one chunk (items in fingerprint order); `onLate` learns at the merge how many were duplicates. */
  async stageChunk(
    sorted: readonly CollectedInteraction[],
    onLate?: (duplicates: number) => void,
  ): Promise<StagedChunk> {
    await this.create();
    const cipher = this.cipher!;
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
      const sender = item.sender === null ? "\\N" : String(this.localAddress(item.sender));
      const subject = item.subject === null ? "\\N" : copyBytes(cipher.seal("subject", item.subject));
      interactions += `${ord}\t${chunk}\t${keyToInt(item.id)}\t${item.messageKey === null ? "\\N" : keyToInt(item.messageKey)}\t${kindCode(item.kind)}\t${item.occurredAt}\t${copyField(item.endedAt)}\t${sender}\t${item.participantCount}\t${item.internalOnly ? 1 : 0}\t${subject}\t${orNull(threadKey(item.conversationId))}\t${orNull(threadKey(item.inReplyTo))}\n`;
      for (const p of item.parties) {
        const user = p.userId === null ? "\\N" : String(this.localUser(p.userId));
        const name = p.name === null || p.userId !== null ? "\\N" : this.sealName(p.name);
        parties += `${ord}\t${this.partySeq++}\t${this.localAddress(p.address)}\t${item.occurredAt}\t${roleCode(p.role)}\t${user}\t${name}\n`;
      }
      for (const t of item.touches)
        touches += this.touchRow(
          ord,
          chunk,
          false,
          this.localAddress(t.person),
          this.localUser(t.userId),
          t.touch,
        );
      for (const t of item.internalTouches)
        touches += this.touchRow(ord, chunk, true, this.localUser(t.userA), this.localUser(t.userB), t.touch);
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

  private localAddress(address: string): number {
    let local = this.addresses.get(address);
    if (local === undefined) this.addresses.set(address, (local = this.addresses.size + 1));
    return local;
  }

  private localUser(userId: string): number {
    let local = this.users.get(userId);
    if (local === undefined) this.users.set(userId, (local = this.users.size + 1));
    return local;
  }

  private touchRow(ord: number, chunk: number, internal: boolean, a: number, b: number, t: Touch): string {
    return `${ord}\t${this.touchSeq++}\t${chunk}\t${internal ? "t" : "f"}\t${a}\t${b}\t${t.at}\t${kindCodeOf.get(t.kind)}\t${directionCode.get(t.direction)}\t${t.groupSize}\n`;
  }

  /**
   * Numbers the batch's addresses and colleagues, set-based (under the import lock): COPYed with
   * their keys and sealed text, matched to the book by key, the rest numbered in key order from
   * the tenant's high-water mark and inserted. Only what SQL cannot decide goes through
   * JavaScript: a stored entry whose sealed bytes differ from ours is opened and compared (the
   * same address sealed another time, or a 64-bit collision), and colliding addresses take the
   * probing path of collected-keys.ts.
   */
  private async numberParties(tenant: number): Promise<void> {
    const trx = this.trx;
    const cipher = this.cipher!;
    const domainKeys = new Map<string, string>();
    let rows = "";
    for (const [address, local] of this.addresses) {
      const domain = domainOfAddress(address);
      let domainKey = domainKeys.get(domain);
      if (domainKey === undefined)
        domainKeys.set(domain, (domainKey = copyBytes(personDomainKey(cipher, domain))));
      rows += `${local}\t${copyField(address)}\t${copyBytes(cipher.addressKey(address))}\t${copyBytes(cipher.seal("address", address))}\t${domainKey}\n`;
    }
    await copyInto(trx, "kith_stage_address", ["local", "address", "key", "sealed", "domain_key"], rows);
    await sql`analyze kith_stage_address`.execute(trx);
    await sql`update kith_stage_address s set num = a.num, stored = a.sealed, vnum = pg_temp.kith_varint(a.num)
      from address_book a where a.tenant_num = ${tenant} and a.key = s.key`.execute(trx);
    const collided: string[] = [];
    const differing = await sql<{
      address: string;
      stored: Buffer;
    }>`select address, stored from kith_stage_address
      where stored is not null and stored <> sealed`.execute(trx);
    for (const r of differing.rows)
      if (cipher.open("address", r.stored) !== r.address) collided.push(r.address);
    // New addresses sharing a key (a collision within the batch): all but the first probe on.
    const twins = await sql<{ address: string }>`select address from (select address,
        row_number() over (partition by key order by address) as rn from kith_stage_address where num is null) x
      where rn > 1`.execute(trx);
    collided.push(...twins.rows.map((r) => r.address));
    if (collided.length > 0)
      await sql`delete from kith_stage_address where address in (${sql.join(collided)})`.execute(trx);
    const fresh = Number(
      (
        await sql<{
          n: number;
        }>`select count(*)::integer as n from kith_stage_address where num is null`.execute(trx)
      ).rows[0]!.n,
    );
    if (fresh > 0) {
      const high = await sql<{ high: number }>`update tenant set address_high = address_high + ${fresh}
        where id = ${this.tenantId} returning address_high as high`.execute(trx);
      const base = Number(high.rows[0]!.high) - fresh;
      await sql`update kith_stage_address s set num = ${base} + o.rn, fresh = true,
          vnum = pg_temp.kith_varint(${base} + o.rn)
        from (select local, row_number() over (order by key) as rn from kith_stage_address where num is null) o
        where s.local = o.local`.execute(trx);
      await sql`insert into address_book (tenant_num, num, key, sealed)
        select ${tenant}, num, key, sealed from kith_stage_address where fresh order by num`.execute(trx);
    }
    if (collided.length > 0) {
      rows = "";
      for (const [address, num] of await ensureAddressNums(trx, this.tenantId, collided))
        rows += `${this.addresses.get(address)}\t${copyField(address)}\t${num}\t${copyBytes(personDomainKey(cipher, domainOfAddress(address)))}\n`;
      await copyInto(trx, "kith_stage_address", ["local", "address", "num", "domain_key"], rows);
    }
    // Entries of a collision kept their number from the probing path: their varint now.
    if (collided.length > 0)
      await sql`update kith_stage_address set vnum = pg_temp.kith_varint(num) where vnum is null`.execute(
        trx,
      );

    rows = "";
    for (const [user, local] of this.users) rows += `${local}\t${copyField(user)}\n`;
    await copyInto(trx, "kith_stage_colleague", ["local", "user_id"], rows);
    await sql`analyze kith_stage_colleague`.execute(trx);
    await sql`update kith_stage_colleague s set num = c.num, vnum = pg_temp.kith_varint(c.num + 1) from colleague c
      where c.tenant_num = ${tenant} and c.user_id = s.user_id`.execute(trx);
    const newColleagues = Number(
      (
        await sql<{
          n: number;
        }>`select count(*)::integer as n from kith_stage_colleague where num is null`.execute(trx)
      ).rows[0]!.n,
    );
    if (newColleagues > 0) {
      const high = await sql<{
        high: number;
      }>`update tenant set colleague_high = colleague_high + ${newColleagues}
        where id = ${this.tenantId} returning colleague_high as high`.execute(trx);
      const base = Number(high.rows[0]!.high) - newColleagues;
      await sql`update kith_stage_colleague s set num = ${base} + o.rn, fresh = true,
          vnum = pg_temp.kith_varint(${base} + o.rn + 1)
        from (select local, row_number() over (order by user_id) as rn from kith_stage_colleague where num is null) o
        where s.local = o.local`.execute(trx);
      await sql`insert into colleague (tenant_num, num, user_id)
        select ${tenant}, num, user_id from kith_stage_colleague where fresh order by num`.execute(trx);
    }
    this.addresses.clear();
    this.users.clear();
  }

  /** Merges everything staged into the tenant's tables, under the tenant's import lock. */
  async finish(store: Store): Promise<void> {
    if (!this.created) return;
    const trx = this.trx;
    const tenant = await tenantNum(trx, this.tenantId);
    await lockTenantImports(trx, store, this.tenantId);
    // The merge sorts the batch's staged rows (by staging order, party key, pair): with the default
    // 4 MB they spill to disk; for this transaction only (measured on 100k lines: merge 72 → 48 s).
    await sql`select set_config('work_mem', ${mergeWorkMem}, true)`.execute(trx);
    await sql.raw(varintFunction).execute(trx);
    await this.numberParties(tenant);
    await sql`analyze kith_stage_interaction, kith_stage_party, kith_stage_touch, kith_stage_address, kith_stage_colleague`.execute(
      trx,
    );
    await this.markSkipped(tenant);
    await this.ensurePartitions();
    // Inserted in time order, month partition after month partition: the random 64-bit fingerprint
    // and Message-ID keys then land in one month's indexes at a time, which stay in shared buffers,
    // instead of all twelve months' at once (1M lines on the default 128 MB shared_buffers: this
    // statement 39.3 → 15.1 s). Which copy is kept was decided in staging order (markSkipped), and
    // seq numbers still follow staging order, as SQLite's do: the batch draws them from the
    // identity's sequence first and hands the i-th smallest to the i-th kept row.
    const sequence = (
      await sql<{ name: string }>`select pg_get_serial_sequence('interaction', 'seq') as name`.execute(trx)
    ).rows[0]!.name;
    await sql`with packed as (
        select p.ord, string_agg(a.vnum || substring(int2send(p.role) from 2 for 1)
          || coalesce(c.vnum, '\\x00'::bytea), ''::bytea order by p.n) as parties
        from kith_stage_party p join kith_stage_address a on a.local = p.address
        left join kith_stage_colleague c on c.local = p.user_id
        group by p.ord),
      kept as (select s.ord, row_number() over (order by s.ord) as rn from kith_stage_interaction s
        where not exists (select 1 from kith_stage_skip k where k.ord = s.ord)),
      drawn as (select v, row_number() over (order by v) as rn
        from (select nextval(${sequence}::regclass) as v from kept) d),
      inserted as (
        insert into interaction (seq, tenant_num, fingerprint, message_key, kind, occurred_at, ended_at, sender,
          parties, participant_count, internal_only, subject, conversation_id, in_reply_to)
        select q.v, ${tenant}, s.fingerprint, s.message_key, s.kind, s.occurred_at, s.ended_at, sa.num,
          coalesce(pk.parties, ''::bytea), s.participant_count, s.internal_only, s.subject, s.conversation_id,
          s.in_reply_to
        from kith_stage_interaction s join kept n on n.ord = s.ord join drawn q on q.rn = n.rn
        left join kith_stage_address sa on sa.local = s.sender
        left join packed pk on pk.ord = s.ord
        order by s.occurred_at, s.ord
        on conflict do nothing
        returning fingerprint, occurred_at, seq)
      insert into kith_stage_kept (ord, seq)
      select min(s.ord), i.seq from inserted i join kith_stage_interaction s
        on s.fingerprint = i.fingerprint and s.occurred_at = i.occurred_at
      where not exists (select 1 from kith_stage_skip k where k.ord = s.ord)
      group by i.seq`.execute(trx);
    await sql`analyze kith_stage_kept`.execute(trx);
    const late = await sql<{ chunk: number; n: number }>`select s.chunk, count(*)::integer as n
      from kith_stage_interaction s where not exists (select 1 from kith_stage_kept k where k.ord = s.ord)
      group by s.chunk`.execute(trx);
    for (const row of late.rows) this.onLate[row.chunk]?.(row.n);
    await sql`insert into interaction_party (tenant_num, address_num, occurred_at, seq, role, user_num)
      select ${tenant}, a.num, p.occurred_at, k.seq, p.role, c.num
      from kith_stage_party p join kith_stage_kept k on k.ord = p.ord
      join kith_stage_address a on a.local = p.address
      left join kith_stage_colleague c on c.local = p.user_id
      order by a.num, p.occurred_at, k.seq
      on conflict do nothing`.execute(trx);
    // A person's name: the first one given, in the order SQLite folds them (staging order).
    await sql`insert into person (tenant_num, num, name, domain_key, first_at, last_at)
      select ${tenant}, a.num, (array_agg(p.name order by p.n) filter (where p.name is not null))[1],
        a.domain_key, min(p.occurred_at), max(p.occurred_at)
      from kith_stage_party p join kith_stage_kept k on k.ord = p.ord
      join kith_stage_address a on a.local = p.address
      where p.user_id is null
      group by a.num, a.domain_key order by a.num
      on conflict (tenant_num, num) do update set
        name = coalesce(person.name, excluded.name),
        first_at = least(person.first_at, excluded.first_at),
        last_at = greatest(person.last_at, excluded.last_at)`.execute(trx);
    await this.foldStates(tenant);
  }

  /** The monthly partitions (PostgreSQL, migration 0070) the interactions the merge keeps need. */
  private async ensurePartitions(): Promise<void> {
    const months = await sql<{ at: string }>`select min(occurred_at) as at from kith_stage_interaction s
      where not exists (select 1 from kith_stage_skip k where k.ord = s.ord)
      group by date_trunc('month', to_timestamp(occurred_at / 1000.0) at time zone 'UTC')`.execute(this.trx);
    await ensureMonthPartitions(
      this.trx,
      months.rows.map((r) => Number(r.at)),
    );
  }

  /**
   * Which staged interactions are not stored, decided as SQLite's `insert or ignore` decides row by
   * row in staging order: a copy is skipped when its fingerprint or its Message-ID key is already in
   * the store, or was taken by an earlier copy this batch keeps. The partitioned tables' unique keys
   * hold `occurred_at` (migration 0070), so the store-wide uniqueness of both keys is kept here, under
   * the tenant's import lock. Set-based for the rows nothing else shares a key with (nearly all);
   * the rest — copies already stored, and rows sharing a key within the batch — in staging order in
   * JavaScript (a row skipped for one key does not take its other key).
   */
  private async markSkipped(tenant: number): Promise<void> {
    const trx = this.trx;
    await sql`create temp table kith_stage_skip (ord bigint primary key) on commit drop`.execute(trx);
    await sql`create temp table kith_stage_dupe (ord bigint primary key, stored boolean not null) on commit drop`.execute(
      trx,
    );
    // A stored copy lies within the same second (the fingerprint holds the sent second, a meeting's
    // key its start), so the fingerprint is looked up within a second either side — one or two
    // partitions; a Message-ID key in every month.
    await sql`insert into kith_stage_dupe (ord, stored)
      select distinct s.ord, true from kith_stage_interaction s join interaction i
        on i.tenant_num = ${tenant} and i.fingerprint = s.fingerprint
        and i.occurred_at between s.occurred_at - 999 and s.occurred_at + 999
      on conflict do nothing`.execute(trx);
    await sql`insert into kith_stage_dupe (ord, stored)
      select distinct s.ord, true from kith_stage_interaction s join interaction i
        on i.tenant_num = ${tenant} and i.message_key = s.message_key
      on conflict do nothing`.execute(trx);
    await sql`insert into kith_stage_dupe (ord, stored)
      select ord, false from (select ord, count(*) over (partition by fingerprint) as fingerprints,
          count(message_key) over (partition by message_key) as messages
        from kith_stage_interaction) s
      where fingerprints > 1 or messages > 1
      on conflict do nothing`.execute(trx);
    // 64-bit keys as text: the driver would parse int8 into a Number and lose bits.
    await sql`declare kith_dupes no scroll cursor for
      select d.ord, d.stored, s.fingerprint::text as fingerprint, s.message_key::text as message_key
      from kith_stage_dupe d join kith_stage_interaction s on s.ord = d.ord order by d.ord`.execute(trx);
    const fingerprints = new Set<string>();
    const messages = new Set<string>();
    let skipped = "";
    for (;;) {
      const page = await sql<DupeRow>`fetch ${sql.raw(String(foldPage))} from kith_dupes`.execute(trx);
      for (const r of page.rows) {
        const taken =
          r.stored ||
          fingerprints.has(r.fingerprint) ||
          (r.message_key !== null && messages.has(r.message_key));
        if (taken) {
          skipped += `${r.ord}\n`;
          continue;
        }
        fingerprints.add(r.fingerprint);
        if (r.message_key !== null) messages.add(r.message_key);
      }
      if (page.rows.length < foldPage) break;
    }
    await sql`close kith_dupes`.execute(trx);
    await copyInto(trx, "kith_stage_skip", ["ord"], skipped);
    await sql`analyze kith_stage_skip`.execute(trx);
  }

  private async foldStates(tenant: number): Promise<void> {
    const trx = this.trx;
    // One row per pair and chunk, its touches packed in staging order (14 bytes each: int8 instant,
    // int2 kind·4 + direction, int4 group size; parsing 600k touch rows was most of the fold), the
    // pair's chunks in staging order; the stored state rides on each pair's first row only.
    await sql`declare kith_fold no scroll cursor for
      with numbered as (
        select t.internal, coalesce(pa.num, ca.num) as a, cb.num as b, t.n, t.chunk, t.at, t.kind, t.direction,
          t.group_size
        from kith_stage_touch t join kith_stage_kept k on k.ord = t.ord
        left join kith_stage_address pa on not t.internal and pa.local = t.a
        left join kith_stage_colleague ca on t.internal and ca.local = t.a
        join kith_stage_colleague cb on cb.local = t.b),
      grouped as (
        select internal, a, b, min(n) as first,
          string_agg(int8send(at) || int2send((kind * 4 + direction)::smallint) || int4send(group_size), ''::bytea
            order by n) as touches
        from numbered group by internal, a, b, chunk),
      ranked as (
        select grouped.*, row_number() over (partition by internal, a, b order by first) as rn from grouped)
      -- Joins, not a subquery per pair: the planner may hash the tenant's stored states once (a
      -- first import probed an empty index 1.8M times at 1M lines).
      select g.internal, g.a, g.b, g.touches, coalesce(ps.state, ips.state) as stored
      from ranked g
      left join pair_state ps on g.rn = 1 and not g.internal and ps.tenant_num = ${tenant}
        and ps.person_num = g.a and ps.user_num = g.b
      left join internal_pair_state ips on g.rn = 1 and g.internal and ips.tenant_num = ${tenant}
        and ips.user_a = g.a and ips.user_b = g.b
      order by g.internal, g.a, g.b, g.first`.execute(trx);
    let current: { internal: boolean; a: number; b: number; state: PairState | null } | null = null;
    let out = "";
    const closePair = () => {
      if (!current?.state) return;
      const s = current.state;
      out += `${current.internal ? "t" : "f"}\t${current.a}\t${current.b}\t${copyBytes(encodePairState(s))}\t${s.lastAt ?? 0}\n`;
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
            state: r.stored ? decodePairState(r.stored) : null,
          };
        }
        // One chunk's touches of the pair: one delta, merged onto what the pair holds (as SQLite).
        const delta = buildPairState(unpackTouches(r.touches), this.params);
        current.state = current.state ? mergePairStates(current.state, delta, this.params) : delta;
      }
      await copyInto(trx, "kith_stage_state", ["internal", "a", "b", "state", "last_at"], out);
      out = "";
      if (page.rows.length < foldPage) break;
    }
    closePair();
    await copyInto(trx, "kith_stage_state", ["internal", "a", "b", "state", "last_at"], out);
    await sql`close kith_fold`.execute(trx);
    await sql`insert into pair_state (tenant_num, person_num, user_num, state, last_at)
      select ${tenant}, a, b, state, last_at from kith_stage_state where not internal order by a, b
      on conflict (tenant_num, person_num, user_num) do update set state = excluded.state, last_at = excluded.last_at`.execute(
      trx,
    );
    await sql`insert into internal_pair_state (tenant_num, user_a, user_b, state, last_at)
      select ${tenant}, a, b, state, last_at from kith_stage_state where internal order by a, b
      on conflict (tenant_num, user_a, user_b) do update set state = excluded.state, last_at = excluded.last_at`.execute(
      trx,
    );
  }
}

const orNull = (v: bigint | null): string => (v === null ? "\\N" : String(v));

interface DupeRow {
  ord: string;
  stored: boolean;
  fingerprint: string;
  message_key: string | null;
}

interface FoldRow {
  internal: boolean;
  a: number;
  b: number;
  touches: Buffer;
  stored: Buffer | null;
}

/** The touches `string_agg` packed in the fold's cursor (14 bytes each, big-endian). */
function unpackTouches(bytes: Buffer): Touch[] {
  const touches: Touch[] = [];
  for (let at = 0; at + 14 <= bytes.length; at += 14) {
    const code = bytes.readInt16BE(at + 8);
    touches.push({
      at: bytes.readInt32BE(at) * 4_294_967_296 + bytes.readUInt32BE(at + 4),
      kind: touchKinds[code >> 2]!,
      direction: touchDirections[code & 3]!,
      groupSize: bytes.readInt32BE(at + 10),
    });
  }
  return touches;
}

const stageInteractionColumns = [
  "ord",
  "chunk",
  "fingerprint",
  "message_key",
  "kind",
  "occurred_at",
  "ended_at",
  "sender",
  "participant_count",
  "internal_only",
  "subject",
  "conversation_id",
  "in_reply_to",
];
