import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { dropSchema, testPostgresUrl, inspect } from "../../../test/helpers/engines";
import { createMigrator, openStore, type Store } from "../store";

/**
 * Upgrading a store collected before interactions had a `seq` keeps every interaction and every
 * party row, each party row pointing at its own interaction, with seq in time order.
 */
describe.each(["sqlite", "postgres"] as const)("migration 0006 (interaction seq) [%s]", (engine) => {
  let store: Store | undefined;
  let cleanup = () => Promise.resolve();
  afterEach(async () => {
    await store?.close();
    await cleanup();
  });

  it("keeps every interaction and party row, linked by seq in time order", async () => {
    if (engine === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "kith-migrate-"));
      store = await openStore(join(dir, "kith.db"), { migrate: false });
      cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    } else {
      const schema = `t_${randomBytes(6).toString("hex")}`;
      store = await openStore(testPostgresUrl, { schema, migrate: false });
      cleanup = () => dropSchema(schema);
    }
    // The layout of 0006–0050, older than the Database interface.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = store.db as unknown as Kysely<any>;
    const migrator = await createMigrator(store.db);
    const before = await migrator.migrateTo("0005-partner");
    expect(before.error).toBeUndefined();
    // The old layout: party rows name their interaction by fingerprint. Inserted newest first.
    const rows = [
      { id: "fp-c", at: 3000, parties: ["ann@contoso.com", "x@fabrikam.com"] },
      { id: "fp-a", at: 1000, parties: ["ann@contoso.com", "y@fabrikam.com"] },
      { id: "fp-b", at: 2000, parties: ["bob@contoso.com", "x@fabrikam.com", "z@fabrikam.com"] },
    ];
    for (const r of rows) {
      await inspect(() =>
        sql`insert into interaction (tenant_id, id, message_key, kind, occurred_at, ended_at, month, sender,
        participants, participant_count, internal_only, subject, conversation_id, in_reply_to, batch_id)
        values ('t1', ${r.id}, ${`<${r.id}@m>`}, 'email', ${r.at}, null, 202601, ${r.parties[0]},
        ${JSON.stringify(r.parties.map((a, i) => [a, i === 0 ? "from" : "to", null]))}, ${r.parties.length}, 0,
        null, null, null, 'b1')`.execute(db),
      );
      for (const [i, address] of r.parties.entries())
        await inspect(() =>
          sql`insert into interaction_party (tenant_id, address, occurred_at, interaction_id, role, user_id)
          values ('t1', ${address}, ${r.at}, ${r.id}, ${i === 0 ? "from" : "to"}, null)`.execute(db),
        );
    }

    // Up to the last layout with text keys (0060 replaces it: lean-collected-data.db.test.ts).
    expect((await migrator.migrateTo("0050-opportunity-stage-currency")).error).toBeUndefined();

    const interactions = await inspect(
      () =>
        db.selectFrom("interaction").select(["seq", "id", "occurred_at"]).orderBy("seq").execute() as Promise<
          { seq: number; id: string; occurred_at: number }[]
        >,
    );
    expect(interactions.map((i) => i.id)).toEqual(["fp-a", "fp-b", "fp-c"]);
    const idBySeq = new Map(interactions.map((i) => [Number(i.seq), i.id]));
    const parties = await inspect(
      () =>
        db
          .selectFrom("interaction_party")
          .select(["address", "seq", "occurred_at"])
          .orderBy("address")
          .orderBy("occurred_at")
          .execute() as Promise<{ address: string; seq: number; occurred_at: number }[]>,
    );
    expect(parties.map((p) => [p.address, idBySeq.get(Number(p.seq))])).toEqual([
      ["ann@contoso.com", "fp-a"],
      ["ann@contoso.com", "fp-c"],
      ["bob@contoso.com", "fp-b"],
      ["x@fabrikam.com", "fp-b"],
      ["x@fabrikam.com", "fp-c"],
      ["y@fabrikam.com", "fp-a"],
      ["z@fabrikam.com", "fp-b"],
    ]);
    // Dedupe keys are still unique per tenant; new rows get the next seq.
    await expect(
      inspect(() =>
        sql`insert into interaction (tenant_id, id, kind, occurred_at, month, participants, participant_count, internal_only, batch_id)
        values ('t1', 'fp-a', 'email', 1, 202601, '[]', 0, 0, 'b2')`.execute(db),
      ),
    ).rejects.toThrow(/unique|duplicate/i);
    const next = await inspect(
      () =>
        db
          .insertInto("interaction")
          .values({
            tenant_id: "t1",
            id: "fp-d",
            message_key: null,
            kind: "email",
            occurred_at: 4000,
            ended_at: null,
            month: 202601,
            sender: null,
            participants: "[]",
            participant_count: 0,
            internal_only: 0,
            subject: null,
            conversation_id: null,
            in_reply_to: null,
            batch_id: "b2",
          })
          .returning("seq")
          .executeTakeFirstOrThrow() as Promise<{ seq: number }>,
    );
    expect(Number(next.seq)).toBeGreaterThan(Math.max(...idBySeq.keys()));
  });
});
