import { PostgresAdapter, sql } from "kysely";
import { addressesOf, colleaguesOf, keyHexSql, kindOf, roleOf, tenantNum } from "./collected-keys";
import { cipherFor, type TenantCipher } from "./field-cipher";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Reading stored interactions back: counts, the participants, a time-ordered stream. Rows of the
 * lean schema (migration 0060) hold numbers: address numbers, colleague numbers, 64-bit keys,
 * sealed subjects; they become domain values here (addresses, user ids, 16-hex-digit ids, text).
 */

/** Participants as [address, role, userId | null] per party. */
export type Participants = [string, string, string | null][];

/** The engine behind `db` (readers pick engine-specific SQL for 64-bit keys). */
export function engineOf(db: Trx): "sqlite" | "postgres" {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * A sealed column's text (null stays null; null too when the tenant's key is gone). Readers take
 * the tenant's cipher once per call (`cipherFor` looks at the key store), not once per value.
 */
export function openSealed(
  cipher: TenantCipher,
  field: "address" | "name" | "subject",
  sealed: Uint8Array | null,
): string | null {
  return sealed === null
    ? null
    : cipher.open(field, Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength));
}

/** Counts of stored data, for receipts and the import summary. */
export async function countInteractions(
  db: Trx,
  tenantId: string,
): Promise<{ interactions: number; pairs: number; persons: number }> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(db, tenantId);
    const one = async (table: "interaction" | "pair_state" | "person") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select(sql<number>`count(*)`.as("n"))
            .where("tenant_num", "=", t)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      interactions: await one("interaction"),
      pairs: await one("pair_state"),
      persons: await one("person"),
    };
  });
}

export interface StoredInteraction {
  id: string;
  kind: "email" | "meeting";
  occurredAt: number;
  endedAt: number | null;
  sender: string | null;
  parties: { address: string; role: string; userId: string | null }[];
  participantCount: number;
  internalOnly: boolean;
  subject: string | null;
  conversationId: string | null;
  inReplyTo: string | null;
}

/**
 * An interaction row as read (columns of `interactionColumns`): keys already as hex text, the
 * rest as stored.
 */
export interface InteractionRow {
  seq: number | string;
  id: string;
  kind: number;
  occurred_at: number | string;
  ended_at: number | string | null;
  sender: number | null;
  parties: Uint8Array;
  participant_count: number;
  internal_only: number;
  subject: Uint8Array | null;
  conversation_id: string | null;
  in_reply_to: string | null;
}

/** A nullable 64-bit key column as hex text (SQLite's printf would print 0 for null). */
function nullableKeyHex(engine: "sqlite" | "postgres", column: string) {
  return engine === "sqlite"
    ? sql<string | null>`case when ${sql.ref(column)} is null then null else ${keyHexSql(engine, column)} end`
    : keyHexSql(engine, column);
}

/**
 * The select list of an interaction row (`InteractionRow`), `alias` the interaction table's name
 * in the query. Order matters to the SQLite array reads (`InteractionTuple`).
 */
export function interactionColumns(engine: "sqlite" | "postgres", alias: string) {
  const c = (name: string) => `${alias}.${name}`;
  return [
    sql<number>`${sql.ref(c("seq"))}`.as("seq"),
    keyHexSql(engine, c("fingerprint")).as("id"),
    sql<number>`${sql.ref(c("kind"))}`.as("kind"),
    sql<number>`${sql.ref(c("occurred_at"))}`.as("occurred_at"),
    sql<number | null>`${sql.ref(c("ended_at"))}`.as("ended_at"),
    sql<number | null>`${sql.ref(c("sender"))}`.as("sender"),
    sql<Uint8Array>`${sql.ref(c("parties"))}`.as("parties"),
    sql<number>`${sql.ref(c("participant_count"))}`.as("participant_count"),
    sql<number>`${sql.ref(c("internal_only"))}`.as("internal_only"),
    sql<Uint8Array | null>`${sql.ref(c("subject"))}`.as("subject"),
    nullableKeyHex(engine, c("conversation_id")).as("conversation_id"),
    nullableKeyHex(engine, c("in_reply_to")).as("in_reply_to"),
  ] as const;
}

/**
 * The same columns for SQLite's prepared statements, as ONE JSON text per row (read with `pluck`,
 * parsed by `jsonToRow`): better-sqlite3 sets a row array's elements one by one through V8's API
 * (~55 ns a value), so one plucked text per row, parsed by JSON.parse, costs less than 12 values.
 * Blobs travel as hex (JSON holds no blobs).
 */
export function sqliteInteractionJson(alias: string): string {
  const c = (name: string) => `${alias}.${name}`;
  const nullable = (name: string, expr: string) => `case when ${c(name)} is null then null else ${expr} end`;
  return `json_array(${[
    c("seq"),
    `printf('%016x', ${c("fingerprint")})`,
    c("kind"),
    c("occurred_at"),
    c("ended_at"),
    c("sender"),
    `hex(${c("parties")})`,
    c("participant_count"),
    c("internal_only"),
    nullable("subject", `hex(${c("subject")})`),
    nullable("conversation_id", `printf('%016x', ${c("conversation_id")})`),
    nullable("in_reply_to", `printf('%016x', ${c("in_reply_to")})`),
  ].join(", ")})`;
}

/** A row of `sqliteInteractionJson`. */
export function jsonToRow(json: string): InteractionRow {
  const r = JSON.parse(json) as [
    number,
    string,
    number,
    number,
    number | null,
    number | null,
    string,
    number,
    number,
    string | null,
    string | null,
    string | null,
  ];
  return {
    seq: r[0],
    id: r[1],
    kind: r[2],
    occurred_at: r[3],
    ended_at: r[4],
    sender: r[5],
    parties: Buffer.from(r[6], "hex"),
    participant_count: r[7],
    internal_only: r[8],
    subject: r[9] === null ? null : Buffer.from(r[9], "hex"),
    conversation_id: r[10],
    in_reply_to: r[11],
  };
}

/**
 * Rows as domain values: the address numbers of every party and sender opened once per distinct
 * number (collected-keys.ts caches them per process), colleague numbers as user ids, the subject
 * opened. A party whose address cannot be opened (a withdrawn tenant's key is gone) is left out.
 */
export async function resolveInteractions<T>(
  db: Trx,
  tenantId: string,
  rows: readonly InteractionRow[],
  build: BuildInteraction<T>,
): Promise<T[]> {
  // Parties decoded once into one flat array (address, role, user + 1 or 0 per party; `starts[k]`
  // the first of row k's): no object per party (a KPI read decodes ~40,000 parties).
  const flat: number[] = [];
  const starts = new Array<number>(rows.length + 1);
  const addressNums = new Set<number>();
  const userNums = new Set<number>();
  for (let k = 0; k < rows.length; k++) {
    starts[k] = flat.length;
    const r = rows[k]!;
    if (r.sender !== null) addressNums.add(Number(r.sender));
    decodeParties(r.parties, flat);
    for (let i = starts[k]!; i < flat.length; i += 3) {
      addressNums.add(flat[i]!);
      if (flat[i + 2]! !== 0) userNums.add(flat[i + 2]! - 1);
    }
  }
  starts[rows.length] = flat.length;
  const addresses = addressNums.size
    ? await addressesOf(db, tenantId, addressNums)
    : new Map<number, string | null>();
  const users = userNums.size ? await colleaguesOf(db, tenantId, userNums) : new Map<number, string>();
  const roles = new Map<number, string>();
  const cipher = cipherFor(tenantId);
  const out = new Array<T>(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const parties: Participants = [];
    for (let i = starts[k]!; i < starts[k + 1]!; i += 3) {
      const address = addresses.get(flat[i]!);
      if (address === undefined || address === null) continue;
      const code = flat[i + 1]!;
      let role = roles.get(code);
      if (role === undefined) roles.set(code, (role = roleOf(code)));
      const user = flat[i + 2]!;
      parties.push([address, role, user === 0 ? null : (users.get(user - 1) ?? null)]);
    }
    out[k] = build(
      r,
      parties,
      r.sender === null ? null : (addresses.get(Number(r.sender)) ?? null),
      r.subject === null ? null : openSealed(cipher, "subject", r.subject),
    );
  }
  return out;
}

/**
 * Appends packed parties (collected-keys.ts `packParties`: varint address number, role byte,
 * varint user number + 1 or 0) to `out` as three numbers each, the user as stored (+ 1, 0 none).
 */
function decodeParties(bytes: Uint8Array, out: number[]): void {
  let at = 0;
  const end = bytes.length;
  while (at < end) {
    let v = 0;
    let scale = 1;
    let b: number;
    do {
      if (at >= end) throw new Error("packed parties end inside a number");
      b = bytes[at++]!;
      v += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    if (at >= end) throw new Error("packed parties end inside a party");
    const role = bytes[at++]!;
    let u = 0;
    scale = 1;
    do {
      if (at >= end) throw new Error("packed parties end inside a number");
      b = bytes[at++]!;
      u += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    out.push(v, role, u);
  }
}

/** What a read makes of one row, given its parties, sender and subject opened. */
export type BuildInteraction<T> = (
  row: InteractionRow,
  parties: Participants,
  sender: string | null,
  subject: string | null,
) => T;

/** A row as the domain value readers return. */
export const asStoredInteraction: BuildInteraction<StoredInteraction> = (r, parties, sender, subject) => {
  const objects: StoredInteraction["parties"] = new Array<StoredInteraction["parties"][number]>(
    parties.length,
  );
  for (let i = 0; i < parties.length; i++) {
    const [address, role, userId] = parties[i]!;
    objects[i] = { address, role, userId };
  }
  return {
    id: r.id,
    kind: kindOf(Number(r.kind)),
    occurredAt: Number(r.occurred_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    sender,
    parties: objects,
    participantCount: Number(r.participant_count),
    internalOnly: Number(r.internal_only) === 1,
    subject,
    conversationId: r.conversation_id,
    inReplyTo: r.in_reply_to,
  };
};

/**
 * Streams a tenant's interactions in time order, then id order (the 16-hex-digit text, as ever), a
 * page at a time. The id order is the key's hex text compared in SQL: on the (tenant, time) index
 * (SQLite's interaction_time; PostgreSQL's primary key (tenant_num, occurred_at, seq), migration 0080)
 * the engine sorts only the rows of one instant by it.
 */
export async function* iterateInteractions(
  db: Trx,
  tenantId: string,
  pageSize = 5000,
  from = Number.MIN_SAFE_INTEGER,
): AsyncGenerator<StoredInteraction> {
  const engine = engineOf(db);
  const t = await tenantNum(db, tenantId);
  const idHex = keyHexSql(engine, "fingerprint");
  // Every id is 16 hex digits, so "" sorts before all of them: the first page starts at `from`.
  let after: [number, string] = [from, ""];
  for (;;) {
    const [at, id] = after;
    // A generator cannot run inside the scope; each page's statements do.
    const page = await withTenant(tenantId, async () => {
      const rows = await db
        .selectFrom("interaction as i")
        .select(interactionColumns(engine, "i"))
        .where("i.tenant_num", "=", t)
        .where((eb) =>
          eb.or([eb("i.occurred_at", ">", at), eb.and([eb("i.occurred_at", "=", at), eb(idHex, ">", id)])]),
        )
        .orderBy("i.occurred_at")
        .orderBy(idHex)
        .limit(pageSize)
        .execute();
      return {
        count: rows.length,
        resolved: await resolveInteractions(db, tenantId, rows, asStoredInteraction),
      };
    });
    for (const r of page.resolved) yield r;
    if (page.count < pageSize) return;
    const last = page.resolved[page.resolved.length - 1]!;
    after = [last.occurredAt, last.id];
  }
}
