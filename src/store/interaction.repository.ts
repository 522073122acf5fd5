import { sql } from "kysely";
import type { CollectedInteraction } from "../ingest/collect";
import {
  buildPairState,
  mergePairStates,
  type PairState,
  type StrengthParams,
  type Touch,
} from "../insights/strength";
import type { Store, Trx } from "./store";

/**
 * Writes collected interactions in chunks inside the caller's transaction. Dedupe lives in the
 * database (unique fingerprint and message keys), so memory stays flat however large the batch,
 * and re-running a batch after a crash inserts only what is missing. Strength state is folded
 * only for interactions actually inserted, so a duplicate never counts twice.
 *
 * SQLite takes a hand-written path over prepared better-sqlite3 statements: Kysely's query
 * compilation per row costs more than the insert itself at millions of rows.
 */
export interface ChunkResult {
  inserted: number;
  duplicates: number;
  pairsTouched: number;
}

interface PairDelta {
  person: string;
  userId: string;
  touches: Touch[];
}

export class InteractionWriter {
  private sqliteStatements: ReturnType<InteractionWriter["prepareSqlite"]> | null = null;

  constructor(
    private readonly store: Store,
    private readonly trx: Trx,
    private readonly tenantId: string,
    private readonly batchId: string,
    private readonly params: StrengthParams,
  ) {}

  async writeChunk(items: readonly CollectedInteraction[]): Promise<ChunkResult> {
    const inserted = this.store.sqlite ? this.insertSqlite(items) : await this.insertPostgres(items);
    const pairs = new Map<string, PairDelta>();
    const internal = new Map<string, { userA: string; userB: string; touches: Touch[] }>();
    const persons = new Map<string, { name: string | null; first: number; last: number }>();
    for (const item of inserted) {
      for (const t of item.touches) {
        const key = `${t.person}\u0000${t.userId}`;
        const delta = pairs.get(key) ?? { person: t.person, userId: t.userId, touches: [] };
        delta.touches.push(t.touch);
        pairs.set(key, delta);
      }
      for (const t of item.internalTouches) {
        const key = `${t.userA}\u0000${t.userB}`;
        const delta = internal.get(key) ?? { userA: t.userA, userB: t.userB, touches: [] };
        delta.touches.push(t.touch);
        internal.set(key, delta);
      }
      for (const p of item.parties) {
        if (p.userId) continue;
        const seen = persons.get(p.address);
        if (!seen) persons.set(p.address, { name: p.name, first: item.occurredAt, last: item.occurredAt });
        else {
          seen.first = Math.min(seen.first, item.occurredAt);
          seen.last = Math.max(seen.last, item.occurredAt);
          seen.name ??= p.name;
        }
      }
    }
    await this.foldPairs([...pairs.values()]);
    await this.foldInternal([...internal.values()]);
    await this.upsertPersons(persons);
    return {
      inserted: inserted.length,
      duplicates: items.length - inserted.length,
      pairsTouched: pairs.size,
    };
  }

  private prepareSqlite() {
    const db = this.store.sqlite!;
    return {
      interaction: db.prepare(
        `insert or ignore into interaction (tenant_id, id, message_key, kind, occurred_at, ended_at, month, sender, participants,
         participant_count, internal_only, subject, conversation_id, in_reply_to, batch_id) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      party: db.prepare(
        `insert or ignore into interaction_party (tenant_id, address, occurred_at, interaction_id, role, user_id) values (?,?,?,?,?,?)`,
      ),
      getPair: db
        .prepare(`select state from pair_state where tenant_id = ? and person = ? and user_id = ?`)
        .pluck(),
      putPair: db.prepare(
        `insert into pair_state (tenant_id, person, user_id, state, last_at) values (?,?,?,?,?)
         on conflict (tenant_id, person, user_id) do update set state = excluded.state, last_at = excluded.last_at`,
      ),
      getInternal: db
        .prepare(`select state from internal_pair_state where tenant_id = ? and user_a = ? and user_b = ?`)
        .pluck(),
      putInternal: db.prepare(
        `insert into internal_pair_state (tenant_id, user_a, user_b, state, last_at) values (?,?,?,?,?)
         on conflict (tenant_id, user_a, user_b) do update set state = excluded.state, last_at = excluded.last_at`,
      ),
      person: db.prepare(
        `insert into person (tenant_id, address, name, domain, first_at, last_at) values (?,?,?,?,?,?)
         on conflict (tenant_id, address) do update set
           name = coalesce(person.name, excluded.name),
           first_at = min(person.first_at, excluded.first_at),
           last_at = max(person.last_at, excluded.last_at)`,
      ),
    };
  }

  private statements() {
    return (this.sqliteStatements ??= this.prepareSqlite());
  }

  private insertSqlite(items: readonly CollectedInteraction[]): CollectedInteraction[] {
    const s = this.statements();
    const inserted: CollectedInteraction[] = [];
    for (const item of items) {
      const result = s.interaction.run(
        this.tenantId,
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
      inserted.push(item);
      for (const p of item.parties)
        s.party.run(this.tenantId, p.address, item.occurredAt, item.id, p.role, p.userId);
    }
    return inserted;
  }

  private async insertPostgres(items: readonly CollectedInteraction[]): Promise<CollectedInteraction[]> {
    const inserted: CollectedInteraction[] = [];
    for (let i = 0; i < items.length; i += 1000) {
      const slice = items.slice(i, i + 1000);
      const rows = await this.trx
        .insertInto("interaction")
        .values(
          slice.map((item) => ({
            tenant_id: this.tenantId,
            id: item.id,
            message_key: item.messageKey,
            kind: item.kind,
            occurred_at: item.occurredAt,
            ended_at: item.endedAt,
            month: item.month,
            sender: item.sender,
            participants: participantsJson(item),
            participant_count: item.participantCount,
            internal_only: item.internalOnly ? 1 : 0,
            subject: item.subject,
            conversation_id: item.conversationId,
            in_reply_to: item.inReplyTo,
            batch_id: this.batchId,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning("id")
        .execute();
      const ids = new Set(rows.map((r) => r.id));
      // Within one statement, the first of two copies wins; later copies of the same id are duplicates.
      for (const item of slice) {
        if (ids.delete(item.id)) inserted.push(item);
      }
    }
    const parties = inserted.flatMap((item) =>
      item.parties.map((p) => ({
        tenant_id: this.tenantId,
        address: p.address,
        occurred_at: item.occurredAt,
        interaction_id: item.id,
        role: p.role,
        user_id: p.userId,
      })),
    );
    for (let i = 0; i < parties.length; i += 2000) {
      await this.trx
        .insertInto("interaction_party")
        .values(parties.slice(i, i + 2000))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return inserted;
  }

  private async foldPairs(deltas: PairDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    if (this.store.sqlite) {
      const s = this.statements();
      for (const d of deltas) {
        const existing = s.getPair.get(this.tenantId, d.person, d.userId) as string | undefined;
        const state = this.fold(existing, d.touches);
        s.putPair.run(this.tenantId, d.person, d.userId, JSON.stringify(state), state.lastAt ?? 0);
      }
      return;
    }
    for (let i = 0; i < deltas.length; i += 500) {
      const slice = deltas.slice(i, i + 500);
      const rows = await this.trx
        .selectFrom("pair_state")
        .select(["person", "user_id", "state"])
        .where("tenant_id", "=", this.tenantId)
        .where((eb) =>
          eb(
            eb.refTuple("person", "user_id"),
            "in",
            slice.map((d) => eb.tuple(d.person, d.userId)),
          ),
        )
        .execute();
      const existing = new Map(rows.map((r) => [`${r.person}\u0000${r.user_id}`, r.state]));
      const values = slice.map((d) => {
        const state = this.fold(existing.get(`${d.person}\u0000${d.userId}`), d.touches);
        return {
          tenant_id: this.tenantId,
          person: d.person,
          user_id: d.userId,
          state: JSON.stringify(state),
          last_at: state.lastAt ?? 0,
        };
      });
      await this.trx
        .insertInto("pair_state")
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(["tenant_id", "person", "user_id"])
            .doUpdateSet((eb) => ({ state: eb.ref("excluded.state"), last_at: eb.ref("excluded.last_at") })),
        )
        .execute();
    }
  }

  private async foldInternal(deltas: { userA: string; userB: string; touches: Touch[] }[]): Promise<void> {
    if (deltas.length === 0) return;
    if (this.store.sqlite) {
      const s = this.statements();
      for (const d of deltas) {
        const state = this.fold(
          s.getInternal.get(this.tenantId, d.userA, d.userB) as string | undefined,
          d.touches,
        );
        s.putInternal.run(this.tenantId, d.userA, d.userB, JSON.stringify(state), state.lastAt ?? 0);
      }
      return;
    }
    for (let i = 0; i < deltas.length; i += 500) {
      const slice = deltas.slice(i, i + 500);
      const rows = await this.trx
        .selectFrom("internal_pair_state")
        .select(["user_a", "user_b", "state"])
        .where("tenant_id", "=", this.tenantId)
        .where((eb) =>
          eb(
            eb.refTuple("user_a", "user_b"),
            "in",
            slice.map((d) => eb.tuple(d.userA, d.userB)),
          ),
        )
        .execute();
      const existing = new Map(rows.map((r) => [`${r.user_a}\u0000${r.user_b}`, r.state]));
      await this.trx
        .insertInto("internal_pair_state")
        .values(
          slice.map((d) => {
            const state = this.fold(existing.get(`${d.userA}\u0000${d.userB}`), d.touches);
            return {
              tenant_id: this.tenantId,
              user_a: d.userA,
              user_b: d.userB,
              state: JSON.stringify(state),
              last_at: state.lastAt ?? 0,
            };
          }),
        )
        .onConflict((oc) =>
          oc
            .columns(["tenant_id", "user_a", "user_b"])
            .doUpdateSet((eb) => ({ state: eb.ref("excluded.state"), last_at: eb.ref("excluded.last_at") })),
        )
        .execute();
    }
  }

  private fold(existing: string | undefined, touches: Touch[]): PairState {
    const delta = buildPairState(touches, this.params);
    return existing ? mergePairStates(JSON.parse(existing) as PairState, delta, this.params) : delta;
  }

  private async upsertPersons(
    persons: Map<string, { name: string | null; first: number; last: number }>,
  ): Promise<void> {
    if (persons.size === 0) return;
    if (this.store.sqlite) {
      const s = this.statements();
      for (const [address, p] of persons)
        s.person.run(this.tenantId, address, p.name, domainPart(address), p.first, p.last);
      return;
    }
    const rows = [...persons].map(([address, p]) => ({
      tenant_id: this.tenantId,
      address,
      name: p.name,
      domain: domainPart(address),
      first_at: p.first,
      last_at: p.last,
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      await this.trx
        .insertInto("person")
        .values(rows.slice(i, i + 1000))
        .onConflict((oc) =>
          oc.columns(["tenant_id", "address"]).doUpdateSet({
            name: sql`coalesce(person.name, excluded.name)`,
            first_at: sql`least(person.first_at, excluded.first_at)`,
            last_at: sql`greatest(person.last_at, excluded.last_at)`,
          }),
        )
        .execute();
    }
  }
}

function participantsJson(item: CollectedInteraction): string {
  return JSON.stringify(item.parties.map((p) => [p.address, p.role, p.userId]));
}

function domainPart(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

/** Counts of stored data, for receipts and the import summary. */
export async function countInteractions(
  db: Trx,
  tenantId: string,
): Promise<{ interactions: number; pairs: number; persons: number }> {
  const one = async (table: "interaction" | "pair_state" | "person") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as("n"))
          .where("tenant_id", "=", tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    interactions: await one("interaction"),
    pairs: await one("pair_state"),
    persons: await one("person"),
  };
}

type Participants = [string, string, string | null][];

/**
 * Removes one user's collected data: their strength pairs, their colleague links, and their
 * presence on every interaction. An interaction left with no consenting colleague on it is
 * deleted whole (nothing else stands behind it). Returns rows removed by kind.
 */
export async function purgeUserInteractions(
  trx: Trx,
  tenantId: string,
  userId: string,
): Promise<Record<string, number>> {
  const user = await trx
    .selectFrom("app_user")
    .select("email")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", userId)
    .executeTakeFirst();
  const aliases = await trx
    .selectFrom("user_alias")
    .select("address")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .execute();
  const addresses = [...(user ? [user.email] : []), ...aliases.map((a) => a.address)];
  const parties = addresses.length
    ? await trx
        .selectFrom("interaction_party")
        .select(["interaction_id", "address"])
        .where("tenant_id", "=", tenantId)
        .where("address", "in", addresses)
        .where("user_id", "=", userId)
        .execute()
    : [];
  let interactionsDeleted = 0;
  const ids = [...new Set(parties.map((p) => p.interaction_id))];
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const rows = await trx
      .selectFrom("interaction")
      .select(["id", "participants"])
      .where("tenant_id", "=", tenantId)
      .where("id", "in", slice)
      .execute();
    for (const row of rows) {
      const remaining = (JSON.parse(row.participants) as Participants).filter((p) => p[2] !== userId);
      if (!remaining.some((p) => p[2] !== null)) {
        await trx
          .deleteFrom("interaction_party")
          .where("tenant_id", "=", tenantId)
          .where("interaction_id", "=", row.id)
          .execute();
        await trx
          .deleteFrom("interaction")
          .where("tenant_id", "=", tenantId)
          .where("id", "=", row.id)
          .execute();
        interactionsDeleted++;
      } else {
        await trx
          .updateTable("interaction")
          .set({ participants: JSON.stringify(remaining) })
          .where("tenant_id", "=", tenantId)
          .where("id", "=", row.id)
          .execute();
      }
    }
  }
  let participations = 0;
  if (addresses.length) {
    const r = await trx
      .deleteFrom("interaction_party")
      .where("tenant_id", "=", tenantId)
      .where("address", "in", addresses)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    participations = Number(r.numDeletedRows);
  }
  const pairs = await trx
    .deleteFrom("pair_state")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  const links = await trx
    .deleteFrom("internal_pair_state")
    .where("tenant_id", "=", tenantId)
    .where((eb) => eb.or([eb("user_a", "=", userId), eb("user_b", "=", userId)]))
    .executeTakeFirst();
  return {
    interactions: interactionsDeleted,
    participations,
    connections: Number(pairs.numDeletedRows),
    colleagueLinks: Number(links.numDeletedRows),
  };
}

/** Removes everything collected for a tenant (its last collection consent was withdrawn). */
export async function purgeTenantInteractions(trx: Trx, tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    "interaction_party",
    "interaction",
    "pair_state",
    "internal_pair_state",
    "person",
  ] as const) {
    const r = await trx.deleteFrom(table).where("tenant_id", "=", tenantId).executeTakeFirst();
    counts[
      table === "interaction_party"
        ? "participations"
        : table === "pair_state"
          ? "connections"
          : table === "internal_pair_state"
            ? "colleagueLinks"
            : `${table}s`
    ] = Number(r.numDeletedRows);
  }
  return counts;
}

/** Removes one external person from every interaction and insight (a data-subject request). */
export async function purgePersonInteractions(
  trx: Trx,
  tenantId: string,
  address: string,
): Promise<Record<string, number>> {
  const parties = await trx
    .selectFrom("interaction_party")
    .select("interaction_id")
    .where("tenant_id", "=", tenantId)
    .where("address", "=", address)
    .execute();
  for (const { interaction_id } of parties) {
    const row = await trx
      .selectFrom("interaction")
      .select("participants")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", interaction_id)
      .executeTakeFirst();
    if (!row) continue;
    const remaining = (JSON.parse(row.participants) as Participants).filter((p) => p[0] !== address);
    await trx
      .updateTable("interaction")
      .set({ participants: JSON.stringify(remaining) })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", interaction_id)
      .execute();
  }
  const p = await trx
    .deleteFrom("interaction_party")
    .where("tenant_id", "=", tenantId)
    .where("address", "=", address)
    .executeTakeFirst();
  const s = await trx
    .deleteFrom("pair_state")
    .where("tenant_id", "=", tenantId)
    .where("person", "=", address)
    .executeTakeFirst();
  const n = await trx
    .deleteFrom("person")
    .where("tenant_id", "=", tenantId)
    .where("address", "=", address)
    .executeTakeFirst();
  return {
    participations: Number(p.numDeletedRows),
    connections: Number(s.numDeletedRows),
    persons: Number(n.numDeletedRows),
  };
}

/** Removes one month of interactions; strengths must then be recomputed (`recomputeStrengths`). */
export async function purgeMonthInteractions(
  trx: Trx,
  tenantId: string,
  month: number,
): Promise<Record<string, number>> {
  const ids = (
    await trx
      .selectFrom("interaction")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("month", "=", month)
      .execute()
  ).map((r) => r.id);
  let participations = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await trx
      .deleteFrom("interaction_party")
      .where("tenant_id", "=", tenantId)
      .where("interaction_id", "in", ids.slice(i, i + 500))
      .executeTakeFirst();
    participations += Number(r.numDeletedRows);
  }
  const r = await trx
    .deleteFrom("interaction")
    .where("tenant_id", "=", tenantId)
    .where("month", "=", month)
    .executeTakeFirst();
  return { interactions: Number(r.numDeletedRows), participations };
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

/** Streams a tenant's interactions in time order, a page at a time. */
export async function* iterateInteractions(
  db: Trx,
  tenantId: string,
  pageSize = 5000,
): AsyncGenerator<StoredInteraction> {
  let after: [number, string] = [Number.MIN_SAFE_INTEGER, ""];
  for (;;) {
    const rows = await db
      .selectFrom("interaction")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where((eb) =>
        eb.or([
          eb("occurred_at", ">", after[0]),
          eb.and([eb("occurred_at", "=", after[0]), eb("id", ">", after[1])]),
        ]),
      )
      .orderBy("occurred_at")
      .orderBy("id")
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      yield {
        id: r.id,
        kind: r.kind as "email" | "meeting",
        occurredAt: r.occurred_at,
        endedAt: r.ended_at,
        sender: r.sender,
        parties: (JSON.parse(r.participants) as Participants).map(([address, role, userId]) => ({
          address,
          role,
          userId,
        })),
        participantCount: r.participant_count,
        internalOnly: r.internal_only === 1,
        subject: r.subject,
        conversationId: r.conversation_id,
        inReplyTo: r.in_reply_to,
      };
    }
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.occurred_at, last.id];
  }
}

/** Deletes all strength state of a tenant before a full recompute (weights or half-life changed). */
export async function clearStrengthState(trx: Trx, tenantId: string): Promise<void> {
  await trx.deleteFrom("pair_state").where("tenant_id", "=", tenantId).execute();
  await trx.deleteFrom("internal_pair_state").where("tenant_id", "=", tenantId).execute();
}
