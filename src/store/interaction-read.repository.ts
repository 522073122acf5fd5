import { sql } from "kysely";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/** Reading stored interactions back: counts, the packed participants, a time-ordered stream. */

/** The packed participants column: [address, role, userId | null] per party. */
export type Participants = [string, string, string | null][];

/** Counts of stored data, for receipts and the import summary. */
export async function countInteractions(
  db: Trx,
  tenantId: string,
): Promise<{ interactions: number; pairs: number; persons: number }> {
  return withTenant(tenantId, async () => {
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

/** Streams a tenant's interactions in time order, a page at a time. */
export async function* iterateInteractions(
  db: Trx,
  tenantId: string,
  pageSize = 5000,
): AsyncGenerator<StoredInteraction> {
  let after: [number, string] = [Number.MIN_SAFE_INTEGER, ""];
  for (;;) {
    const [at, id] = after;
    // A generator cannot run inside the scope; each page's statement does.
    const rows = await withTenant(tenantId, () =>
      db
        .selectFrom("interaction")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where((eb) =>
          eb.or([eb("occurred_at", ">", at), eb.and([eb("occurred_at", "=", at), eb("id", ">", id)])]),
        )
        .orderBy("occurred_at")
        .orderBy("id")
        .limit(pageSize)
        .execute(),
    );
    for (const r of rows) yield rowToStoredInteraction(r);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.occurred_at, last.id];
  }
}

/** A stored interaction row as a domain value (participants unpacked, bigints as numbers). */
export function rowToStoredInteraction(r: {
  id: string;
  kind: string;
  occurred_at: number | string;
  ended_at: number | string | null;
  sender: string | null;
  participants: string;
  participant_count: number;
  internal_only: number;
  subject: string | null;
  conversation_id: string | null;
  in_reply_to: string | null;
}): StoredInteraction {
  return {
    id: r.id,
    kind: r.kind as "email" | "meeting",
    occurredAt: Number(r.occurred_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
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
