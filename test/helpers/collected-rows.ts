import { sql } from "kysely";
import {
  addressesOf,
  allColleagues,
  domainOfAddress,
  keyHexSql,
  kindOf,
  openText,
  roleOf,
  tenantNum,
  unpackParties,
} from "../../src/store/collected-keys";
import type { Store } from "../../src/store/store";
import { inspect } from "./engines";

/**
 * A tenant's collected rows read back in the domain's terms (addresses, user ids, hex keys, clear
 * text), whatever the stored layout (migration 0060 numbers and seals them): for tests that look
 * at what an import or a purge left in the store.
 */
export interface CollectedRows {
  interactions: {
    seq: number;
    id: string;
    message_key: string | null;
    kind: "email" | "meeting";
    occurred_at: number;
    ended_at: number | null;
    sender: string | null;
    participants: [string, string, string | null][];
    participant_count: number;
    internal_only: number;
    subject: string | null;
    conversation_id: string | null;
    in_reply_to: string | null;
  }[];
  parties: { address: string; occurred_at: number; seq: number; role: string; user_id: string | null }[];
  persons: { address: string; name: string | null; domain: string; first_at: number; last_at: number }[];
  pairs: { person: string; user_id: string; state: Buffer; last_at: number }[];
  internal: { user_a: string; user_b: string; state: Buffer; last_at: number }[];
  /** Addresses in the tenant's address book. */
  addresses: string[];
}

export async function collectedRows(store: Store, tenantId: string): Promise<CollectedRows> {
  return inspect(async () => {
    const db = store.db;
    const t = await tenantNum(db, tenantId);
    const hex = (column: string) => keyHexSql(store.engine, column);
    const interactions = (
      await sql<{
        seq: number;
        id: string;
        message_key: string | null;
        kind: number;
        occurred_at: number;
        ended_at: number | null;
        sender: number | null;
        parties: Uint8Array;
        participant_count: number;
        internal_only: number;
        subject: Uint8Array | null;
        conversation_id: string | null;
        in_reply_to: string | null;
      }>`select seq, ${hex("fingerprint")} as id, ${hex("message_key")} as message_key, kind, occurred_at,
          ended_at, sender, parties, participant_count, internal_only, subject,
          ${hex("conversation_id")} as conversation_id, ${hex("in_reply_to")} as in_reply_to
        from interaction where tenant_num = ${t} order by seq`.execute(db)
    ).rows;
    const parties = (
      await sql<{
        address_num: number;
        occurred_at: number;
        seq: number;
        role: number;
        user_num: number | null;
      }>`select address_num, occurred_at, seq, role, user_num from interaction_party where tenant_num = ${t}
        order by address_num, occurred_at, seq`.execute(db)
    ).rows;
    const persons = (
      await sql<{ num: number; name: Uint8Array | null; first_at: number; last_at: number }>`select num, name,
        first_at, last_at from person where tenant_num = ${t} order by num`.execute(db)
    ).rows;
    const pairs = (
      await sql<{ person_num: number; user_num: number; state: Buffer; last_at: number }>`select person_num,
        user_num, state, last_at from pair_state where tenant_num = ${t} order by person_num, user_num`.execute(
        db,
      )
    ).rows;
    const internal = (
      await sql<{
        user_a: number;
        user_b: number;
        state: Buffer;
        last_at: number;
      }>`select user_a, user_b, state,
        last_at from internal_pair_state where tenant_num = ${t} order by user_a, user_b`.execute(db)
    ).rows;
    const book = (
      await sql<{ num: number }>`select num from address_book where tenant_num = ${t} order by num`.execute(
        db,
      )
    ).rows.map((r) => Number(r.num));
    const address = await addressesOf(db, tenantId, book);
    const user = await allColleagues(db, tenantId);
    const a = (num: number) => address.get(Number(num)) ?? `?${num}`;
    const u = (num: number) => user.get(Number(num)) ?? `?${num}`;
    return {
      interactions: interactions.map((r) => ({
        seq: Number(r.seq),
        id: r.id,
        message_key: r.message_key,
        kind: kindOf(Number(r.kind)),
        occurred_at: Number(r.occurred_at),
        ended_at: r.ended_at === null ? null : Number(r.ended_at),
        sender: r.sender === null ? null : a(r.sender),
        participants: unpackParties(r.parties).map(
          (p) =>
            [a(p.address), roleOf(p.role), p.user === null ? null : u(p.user)] as [
              string,
              string,
              string | null,
            ],
        ),
        participant_count: Number(r.participant_count),
        internal_only: Number(r.internal_only),
        subject: openText(tenantId, "subject", r.subject),
        conversation_id: r.conversation_id,
        in_reply_to: r.in_reply_to,
      })),
      parties: parties.map((r) => ({
        address: a(r.address_num),
        occurred_at: Number(r.occurred_at),
        seq: Number(r.seq),
        role: roleOf(Number(r.role)),
        user_id: r.user_num === null ? null : u(r.user_num),
      })),
      persons: persons.map((r) => ({
        address: a(r.num),
        name: openText(tenantId, "name", r.name),
        domain: domainOfAddress(a(r.num)),
        first_at: Number(r.first_at),
        last_at: Number(r.last_at),
      })),
      pairs: pairs.map((r) => ({
        person: a(r.person_num),
        user_id: u(r.user_num),
        state: Buffer.from(r.state),
        last_at: Number(r.last_at),
      })),
      internal: internal.map((r) => ({
        user_a: u(r.user_a),
        user_b: u(r.user_b),
        state: Buffer.from(r.state),
        last_at: Number(r.last_at),
      })),
      addresses: book.map((n) => a(n)),
    };
  });
}

/**
 * Every strength state of a tenant as stored (external and internal pairs, in a fixed order, state
 * bytes in hex): one string, equal for equal stores; for tests comparing states with a recompute.
 */
export async function storedStatesText(store: Store, tenantId: string): Promise<string> {
  const { pairs, internal } = await collectedRows(store, tenantId);
  const key = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const ext = pairs.slice().sort((x, y) => key(x.person, y.person) || key(x.user_id, y.user_id));
  const int = internal.slice().sort((x, y) => key(x.user_a, y.user_a) || key(x.user_b, y.user_b));
  return JSON.stringify([ext, int], (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
  );
}
