/**
 * Storage floors for the ingest bench: the least time SQLite itself needs to store the rows a batch
 * kept, copied from the finished store into empty ones by one `INSERT … SELECT … WHERE true` per
 * table in one transaction (no JavaScript, no parsing, no dedupe, no strength folding; `WHERE`
 * keeps SQLite from its transfer shortcut, which copies pages instead of building the B-trees row
 * by row as an import must). Same pragmas as Kith's store.
 *
 * Beside the schema Kith has, two it has not, to price the design: every key an integer (tenant,
 * addresses, colleagues and batch numbered; fingerprint and Message-ID as 64-bit hashes), and the
 * same with the participants packed as 9 bytes a party instead of JSON text. Their copies are
 * prepared before the clock starts.
 */
import Sqlite from "better-sqlite3";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";

const keptTables = ["interaction", "interaction_party", "pair_state", "internal_pair_state", "person"];

export interface Floor {
  seconds: number;
  rows: number;
}

function removeStore(path: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}

/** Copies `tables` of `from` into a new store at `to` made by `schema`; times the copy alone. */
function timedCopy(from: string, to: string, schema: readonly string[], tables: readonly string[]): Floor {
  removeStore(to);
  const db = new Sqlite(to);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("cache_size = -65536");
    for (const statement of schema) db.exec(statement);
    db.prepare("attach ? as kept").run(from);
    const started = performance.now();
    let rows = 0;
    db.exec("begin");
    for (const table of tables)
      rows += db.prepare(`insert into main.${table} select * from kept.${table} where true`).run().changes;
    db.exec("commit");
    return { seconds: (performance.now() - started) / 1000, rows };
  } finally {
    db.close();
    removeStore(to);
  }
}

/** The floor of Kith's own schema: the kept tables with their indexes, as the store has them. */
export function storageFloor(store: string, scratch: string): Floor {
  const source = new Sqlite(store, { readonly: true });
  const schema = source
    .prepare(
      `select sql from sqlite_master where sql is not null and tbl_name in (${keptTables.map(() => "?").join(",")})
       order by type desc`,
    )
    .pluck()
    .all(...keptTables) as string[];
  source.close();
  return timedCopy(store, scratch, schema, keptTables);
}

const integerSchema = [
  `create table interaction (seq integer primary key, tenant integer not null, fingerprint integer not null,
     message_key integer, kind integer not null, occurred_at integer not null, ended_at integer, month integer not null,
     sender integer, participants blob not null, participant_count integer not null, internal_only integer not null,
     subject text, conversation_id text, in_reply_to text, batch integer not null)`,
  `create unique index interaction_fingerprint on interaction (tenant, fingerprint)`,
  `create unique index interaction_message_key on interaction (tenant, message_key)`,
  `create index interaction_time on interaction (tenant, occurred_at)`,
  `create table interaction_party (tenant integer not null, address integer not null, occurred_at integer not null,
     seq integer not null, role integer not null, user integer, primary key (tenant, address, occurred_at, seq)) without rowid`,
  `create table pair_state (tenant integer not null, person integer not null, user integer not null, state blob not null,
     last_at integer not null, primary key (tenant, person, user)) without rowid`,
  `create index pair_state_user on pair_state (tenant, user)`,
  `create table internal_pair_state (tenant integer not null, user_a integer not null, user_b integer not null,
     state blob not null, last_at integer not null, primary key (tenant, user_a, user_b)) without rowid`,
  `create index internal_pair_state_b on internal_pair_state (tenant, user_b)`,
  `create table person (tenant integer not null, address integer not null, name text, domain integer not null,
     first_at integer not null, last_at integer not null, primary key (tenant, address)) without rowid`,
  `create index person_domain on person (tenant, domain)`,
];

const roles = ["from", "to", "cc", "organizer", "required", "optional"];

/**
 * Floors of the integer-key schema, with the participants as Kith stores them (JSON) and packed.
 * The source copies are built from the store first (untimed), numbering every text key.
 */
export function integerKeyFloors(store: string, scratch: string): { integer: Floor; packed: Floor } {
  const numbers = new Map<string, number>();
  const number = (text: string | null): number | null => {
    if (text === null) return null;
    let n = numbers.get(text);
    if (n === undefined) numbers.set(text, (n = numbers.size + 1));
    return n;
  };
  const hash64 = (text: string | null): bigint | null =>
    text === null ? null : createHash("sha1").update(text).digest().readBigInt64LE(0);
  const roleCode = (role: string) => Math.max(0, roles.indexOf(role));
  /** 9 bytes a party: the address's number as a float64, then the role's code. */
  const packParties = (json: string): Buffer => {
    const parties = JSON.parse(json) as [string, string, string | null][];
    const out = Buffer.alloc(parties.length * 9);
    parties.forEach(([address, role], k) => {
      out.writeDoubleLE(number(address)!, k * 9);
      out[k * 9 + 8] = roleCode(role);
    });
    return out;
  };
  const source = new Sqlite(store, { readonly: true });
  const copies = { integer: `${scratch}-integer-source`, packed: `${scratch}-packed-source` };
  try {
    const targets = Object.entries(copies).map(([kind, path]) => {
      removeStore(path);
      const db = new Sqlite(path);
      db.pragma("journal_mode = OFF");
      for (const statement of integerSchema) db.exec(statement);
      db.exec("begin");
      return { packed: kind === "packed", db };
    });
    const each = (sql: string, write: (row: unknown[], packed: boolean) => unknown[]) => {
      const table = /into (\w+)/.exec(sql)![1]!;
      const inserts = targets.map((t) => ({ packed: t.packed, statement: t.db.prepare(sql) }));
      for (const row of source.prepare(`select * from ${table}`).raw().iterate() as Iterable<unknown[]>)
        for (const { packed, statement } of inserts) statement.run(write(row, packed));
    };
    each(`insert into interaction values (${Array(16).fill("?").join(",")})`, (r, packed) => {
      const [seq, tenant, id, messageKey, kind, at, ended, month, sender, participants, ...rest] = r as [
        number,
        string,
        string,
        string | null,
        string,
        number,
        number | null,
        number,
        string | null,
        string,
        ...unknown[],
      ];
      const [count, internalOnly, subject, conversation, inReplyTo, batch] = rest;
      return [
        seq,
        number(tenant),
        hash64(id),
        hash64(messageKey),
        kind === "email" ? 0 : 1,
        at,
        ended,
        month,
        number(sender),
        packed ? packParties(participants) : participants,
        count,
        internalOnly,
        subject,
        conversation,
        inReplyTo,
        number(batch as string),
      ];
    });
    each(`insert into interaction_party values (?,?,?,?,?,?)`, (r) => {
      const [tenant, address, at, seq, role, user] = r as [
        string,
        string,
        number,
        number,
        string,
        string | null,
      ];
      return [number(tenant), number(address), at, seq, roleCode(role), number(user)];
    });
    for (const table of ["pair_state", "internal_pair_state"])
      each(`insert into ${table} values (?,?,?,?,?)`, (r) => {
        const [tenant, a, b, state, lastAt] = r as [string, string, string, Buffer, number];
        return [number(tenant), number(a), number(b), state, lastAt];
      });
    each(`insert into person values (?,?,?,?,?,?)`, (r) => {
      const [tenant, address, name, domain, first, last] = r as [
        string,
        string,
        string | null,
        string,
        number,
        number,
      ];
      return [number(tenant), number(address), name, number(domain), first, last];
    });
    for (const t of targets) {
      t.db.exec("commit");
      t.db.close();
    }
  } finally {
    source.close();
  }
  try {
    return {
      integer: timedCopy(copies.integer, scratch, integerSchema, keptTables),
      packed: timedCopy(copies.packed, scratch, integerSchema, keptTables),
    };
  } finally {
    removeStore(copies.integer);
    removeStore(copies.packed);
  }
}
