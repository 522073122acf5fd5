import { createHash } from "node:crypto";
import type { PairState } from "../../src/insights/strength";
import { decodePairState } from "../../src/store/pair-state-codec";
import type { Store } from "../../src/store/store";
import { collectedRows } from "./collected-rows";
import { inspect } from "./engines";

/**
 * What a tenant's ingest left in a store, independent of generated ids and of the order in which
 * batches merged: interactions by fingerprint (with their participants by address), party rows,
 * people, and every strength state by addresses — counts, instants and the decayed sums to 12
 * significant digits (two batches merged in the other order may differ in a float's last bits).
 * Internal pairs are read from the side of the smaller address. Equal digests: the same store.
 */
export async function ingestDigest(store: Store, tenantId: string): Promise<Record<string, string>> {
  return inspect(async () => {
    const db = store.db;
    const emailOf = new Map(
      (
        await db.selectFrom("app_user").select(["id", "email"]).where("tenant_id", "=", tenantId).execute()
      ).map((u) => [u.id, u.email]),
    );
    const user = (id: string | null) => (id === null ? "" : (emailOf.get(id) ?? `?${id}`));
    const rows = await collectedRows(store, tenantId);
    const { interactions, parties, persons, pairs, internal } = rows;
    const idOf = new Map(interactions.map((r) => [r.seq, r.id]));
    const digest = (lines: string[]) =>
      `${lines.length}:${createHash("sha256").update(lines.sort().join("\n")).digest("hex")}`;
    return {
      interactions: digest(
        interactions.map((r) => {
          const ps = r.participants.map(([a, role, id]) => `${a}/${role}/${user(id)}`);
          return `${r.id} ${r.message_key} ${r.occurred_at} ${ps.join(",")}`;
        }),
      ),
      parties: digest(
        parties.map((r) => `${r.address} ${r.occurred_at} ${idOf.get(r.seq)} ${r.role} ${user(r.user_id)}`),
      ),
      persons: digest(persons.map((r) => `${r.address} ${r.name} ${r.domain} ${r.first_at} ${r.last_at}`)),
      pairs: digest(
        pairs.map(
          (r) => `${r.person} ${user(r.user_id)} ${stateLine(decodePairState(r.state))} ${r.last_at}`,
        ),
      ),
      internal: digest(
        internal.map((r) => {
          const [a, b] = [user(r.user_a), user(r.user_b)];
          return `${[a, b].sort().join(" ")} ${stateLine(decodePairState(r.state), a > b)} ${r.last_at}`;
        }),
      ),
    };
  });
}

function stateLine(s: PairState, mirrored = false): string {
  const n = (x: number) => Number(x.toPrecision(12));
  const cells = (c: PairState["counts"]) =>
    (["email", "meeting"] as const)
      .map((k) =>
        (mirrored ? [c[k].in, c[k].out, c[k].mutual] : [c[k].out, c[k].in, c[k].mutual]).map(n).join("/"),
      )
      .join(";");
  const out = mirrored
    ? [s.firstInAt, s.lastInAt, s.firstOutAt, s.lastOutAt]
    : [s.firstOutAt, s.lastOutAt, s.firstInAt, s.lastInAt];
  return [
    cells(s.counts),
    cells(s.fast),
    cells(s.slow),
    s.ignoredLargeGroup,
    s.dampedTouches,
    n(s.dampingSum),
    s.firstAt,
    s.lastAt,
    s.lastKind,
    ...out,
    s.lastMutualAt,
    s.accumulation,
  ].join(" ");
}
