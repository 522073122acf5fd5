import { PostgresAdapter, sql } from "kysely";
import {
  addressesOf,
  colleaguesOf,
  keyHexSql,
  kindOf,
  roleOf,
  tenantNum,
  unpackParties,
} from "./collected-keys";
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

/** The same select list as SQL text for SQLite's prepared statements (`alias.` prefixed). */
export function sqliteInteractionColumns(alias: string): string {
  const hex = (c: string) => `printf('%016x', ${alias}.${c})`;
  const nullableHex = (c: string) => `case when ${alias}.${c} is null then null else ${hex(c)} end`;
  return [
    `${alias}.seq`,
    hex("fingerprint"),
    `${alias}.kind`,
    `${alias}.occurred_at`,
    `${alias}.ended_at`,
    `${alias}.sender`,
    `${alias}.parties`,
    `${alias}.participant_count`,
    `${alias}.internal_only`,
    `${alias}.subject`,
    nullableHex("conversation_id"),
    nullableHex("in_reply_to"),
  ].join(", ");
}

/** A row of `sqliteInteractionColumns` read as an array. */
export type InteractionTuple = [
  seq: number,
  id: string,
  kind: number,
  occurredAt: number,
  endedAt: number | null,
  sender: number | null,
  parties: Uint8Array,
  participantCount: number,
  internalOnly: number,
  subject: Uint8Array | null,
  conversationId: string | null,
  inReplyTo: string | null,
];

export function tupleToRow(r: InteractionTuple): InteractionRow {
  return {
    seq: r[0],
    id: r[1],
    kind: r[2],
    occurred_at: r[3],
    ended_at: r[4],
    sender: r[5],
    parties: r[6],
    participant_count: r[7],
    internal_only: r[8],
    subject: r[9],
    conversation_id: r[10],
    in_reply_to: r[11],
  };
}

/** An interaction with its parties as (address, role, user id) tuples: what both read shapes share. */
export interface ResolvedInteraction {
  seq: number;
  id: string;
  kind: "email" | "meeting";
  occurredAt: number;
  endedAt: number | null;
  sender: string | null;
  parties: Participants;
  participantCount: number;
  internalOnly: boolean;
  subject: string | null;
  conversationId: string | null;
  inReplyTo: string | null;
}

/**
 * Rows as domain values: the address numbers of every party and sender opened once per distinct
 * number (collected-keys.ts caches them per process), colleague numbers as user ids, the subject
 * opened. A party whose address cannot be opened (a withdrawn tenant's key is gone) is left out.
 */
export async function resolveInteractions(
  db: Trx,
  tenantId: string,
  rows: readonly InteractionRow[],
): Promise<ResolvedInteraction[]> {
  const unpacked = rows.map((r) => unpackParties(r.parties));
  const addressNums = new Set<number>();
  const userNums = new Set<number>();
  for (let k = 0; k < rows.length; k++) {
    const sender = rows[k]!.sender;
    if (sender !== null) addressNums.add(Number(sender));
    for (const p of unpacked[k]!) {
      addressNums.add(p.address);
      if (p.user !== null) userNums.add(p.user);
    }
  }
  const addresses = addressNums.size
    ? await addressesOf(db, tenantId, addressNums)
    : new Map<number, string | null>();
  const users = userNums.size ? await colleaguesOf(db, tenantId, userNums) : new Map<number, string>();
  const cipher = cipherFor(tenantId);
  const out: ResolvedInteraction[] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const parties: Participants = [];
    for (const p of unpacked[k]!) {
      const address = addresses.get(p.address);
      if (address === undefined || address === null) continue;
      parties.push([address, roleOf(p.role), p.user === null ? null : (users.get(p.user) ?? null)]);
    }
    out.push({
      seq: Number(r.seq),
      id: r.id,
      kind: kindOf(Number(r.kind)),
      occurredAt: Number(r.occurred_at),
      endedAt: r.ended_at === null ? null : Number(r.ended_at),
      sender: r.sender === null ? null : (addresses.get(Number(r.sender)) ?? null),
      parties,
      participantCount: Number(r.participant_count),
      internalOnly: Number(r.internal_only) === 1,
      subject: openSealed(cipher, "subject", r.subject),
      conversationId: r.conversation_id,
      inReplyTo: r.in_reply_to,
    });
  }
  return out;
}

/** A resolved interaction as the domain value readers return. */
export function toStoredInteraction(i: ResolvedInteraction): StoredInteraction {
  return {
    id: i.id,
    kind: i.kind,
    occurredAt: i.occurredAt,
    endedAt: i.endedAt,
    sender: i.sender,
    parties: i.parties.map(([address, role, userId]) => ({ address, role, userId })),
    participantCount: i.participantCount,
    internalOnly: i.internalOnly,
    subject: i.subject,
    conversationId: i.conversationId,
    inReplyTo: i.inReplyTo,
  };
}

/**
 * Streams a tenant's interactions in time order, then id order (the 16-hex-digit text, as ever), a
 * page at a time. The id order is the key's hex text compared in SQL: on the (tenant, time) index
 * the engine sorts only the rows of one instant by it.
 */
export async function* iterateInteractions(
  db: Trx,
  tenantId: string,
  pageSize = 5000,
): AsyncGenerator<StoredInteraction> {
  const engine = engineOf(db);
  const t = await tenantNum(db, tenantId);
  const idHex = keyHexSql(engine, "fingerprint");
  let after: [number, string] = [Number.MIN_SAFE_INTEGER, ""];
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
      return { count: rows.length, resolved: await resolveInteractions(db, tenantId, rows) };
    });
    for (const r of page.resolved) yield toStoredInteraction(r);
    if (page.count < pageSize) return;
    const last = page.resolved[page.resolved.length - 1]!;
    after = [last.occurredAt, last.id];
  }
}
