/**
 * The strength fold is one function of the same inputs on both engines: SQLite merges staged
 * chunk states with a registered function, PostgreSQL folds COPYed touches read back through a
 * cursor (interaction-copy.ts). The same batches must leave identical rows — states byte for byte,
 * people with the same names and times, the same interactions and party rows.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EmailRecord } from "../domain/interaction";
import { createSeededRng } from "../insights/rng";
import type { PairState } from "../insights/strength";
import { decodePairState, encodePairState } from "./pair-state-codec";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { collectedRows } from "../../test/helpers/collected-rows";
import { dropSchema, inspect, testPostgresUrl } from "../../test/helpers/engines";
import { grantConsent } from "../services/consent.service";
import { createContext } from "../services/context";
import { importRecords } from "../services/ingest.service";
import { openStore, type Engine, type Store } from "./store";

const users = ["alice", "bob", "carl", "dana", "erin", "fay"].map((n) => `${n}@contoso.com`);
const externals = Array.from({ length: 25 }, (_, i) => `p${i}@ext${i % 4}.example`);

/** Deterministic mail: copies of a message share its Message-ID (a message in two mailboxes). */
function batch(seed: number, count: number, copiesOf: EmailRecord[] = []): EmailRecord[] {
  const rand = createSeededRng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: EmailRecord[] = [];
  for (let i = 0; i < count; i++) {
    const outbound = rand() < 0.5;
    const from = outbound ? pick(users) : pick(externals);
    const to = [outbound ? pick(externals) : pick(users), pick(users), pick(externals)].filter(
      (a) => a !== from,
    );
    const at = Date.UTC(2026, 0, 1) + Math.floor(rand() * 140) * 86_400_000 + Math.floor(rand() * 86_400_000);
    const record: EmailRecord = {
      type: "email",
      position: { file: "generated", record: i },
      messageId: `m${seed}-${i}@test`,
      conversationId: null,
      inReplyTo: null,
      sentAt: new Date(at),
      // Names come and go, so the first name given must win the same way on both engines.
      from: { address: from, ...(rand() < 0.5 ? { name: `Name ${from} ${i % 3}` } : {}) },
      to: [...new Set(to)].map((address) => ({ address })),
      cc: [],
      subject: null,
      owner: null,
      folder: null,
      noise: {},
    };
    out.push(record);
    if (rand() < 0.3) out.push({ ...record, position: { file: "generated", record: i + 0.5 } });
  }
  return [...out, ...copiesOf];
}

/** A state as its other user sees it: out and in swapped. */
function mirrored(s: PairState): PairState {
  type Cells = PairState["counts"];
  const swap = (c: Cells): Cells => ({
    email: { out: c.email.in, in: c.email.out, mutual: c.email.mutual },
    meeting: { out: c.meeting.in, in: c.meeting.out, mutual: c.meeting.mutual },
  });
  return {
    ...s,
    counts: swap(s.counts),
    fast: swap(s.fast),
    slow: swap(s.slow),
    firstOutAt: s.firstInAt,
    lastOutAt: s.lastInAt,
    firstInAt: s.firstOutAt,
    lastInAt: s.lastOutAt,
  };
}

async function ingestOn(engine: Engine) {
  const dir = mkdtempSync(join(tmpdir(), "kith-fold-"));
  const schema = `fold_${randomBytes(5).toString("hex")}`;
  const store: Store =
    engine === "sqlite"
      ? await openStore(join(dir, "kith.db"))
      : await openStore(testPostgresUrl, { schema });
  try {
    const ctx = createContext(store, () => new Date("2026-06-01T09:00:00Z"));
    const admin = "admin@contoso.com";
    const tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      users.map((u) => directoryUser(u)),
    );
    await grantConsent(ctx, tenantId, "identifiable", admin);
    const first = batch(1, 400);
    // Small chunks: most pairs are touched in several chunks of a batch, then again by the second
    // batch, which also carries copies of the first batch's mail (duplicates against the store).
    const s1 = await importRecords(ctx, tenantId, [{ name: "one", records: first }], { chunkSize: 23 });
    const s2 = await importRecords(
      ctx,
      tenantId,
      [{ name: "two", records: batch(2, 300, first.slice(0, 60)) }],
      {
        chunkSize: 31,
      },
    );
    const rows = await inspect(async () => {
      const db = store.db;
      const emailOf = new Map(
        (await db.selectFrom("app_user").select(["id", "email"]).execute()).map((u) => [u.id, u.email]),
      );
      const user = (id: string | null) => (id === null ? null : (emailOf.get(id) ?? `?${id}`));
      const hex = (b: Buffer) => Buffer.from(b).toString("hex");
      const stored = await collectedRows(store, tenantId);
      const pairs = stored.pairs
        .map((r) => `${r.person} ${user(r.user_id)} ${hex(r.state)} ${r.last_at}`)
        .sort();
      // user_a < user_b by id, and ids differ by store: each state is read from the side of the
      // smaller address (a state's directions are user_a's).
      const internal = stored.internal
        .map((r) => {
          const [a, b] = [user(r.user_a)!, user(r.user_b)!];
          const state = a < b ? r.state : encodePairState(mirrored(decodePairState(r.state)));
          return `${[a, b].sort().join(" ")} ${hex(state)} ${r.last_at}`;
        })
        .sort();
      const persons = stored.persons
        .map((r) => `${r.address} ${r.name} ${r.domain} ${r.first_at} ${r.last_at}`)
        .sort();
      const interactions = stored.interactions;
      const seqRank = new Map(interactions.map((r, i) => [r.seq, i]));
      const parties = stored.parties
        .map((r) => `${r.address} ${r.occurred_at} ${seqRank.get(r.seq)} ${r.role} ${user(r.user_id)}`)
        .sort();
      return {
        pairs,
        internal,
        persons,
        // seq's values differ by engine; their order (insertion order) must not.
        interactions: interactions.map(({ seq: _seq, participants, ...r }) => ({
          ...r,
          participants: participants.map(([a, role, id]) => [a, role, user(id)]),
        })),
        parties,
      };
    });
    return {
      rows,
      summaries: [s1, s2].map((s) => ({ read: s.read, stored: s.stored, duplicates: s.duplicates })),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (engine === "postgres") await dropSchema(schema);
  }
}

describe("the same batches on SQLite and PostgreSQL", () => {
  it(
    "store identical pair states, internal pair states, people, interactions and party rows",
    { timeout: 120_000 },
    async () => {
      const sqlite = await ingestOn("sqlite");
      const postgres = await ingestOn("postgres");
      expect(sqlite.rows.pairs.length).toBeGreaterThan(50);
      expect(sqlite.rows.internal.length).toBeGreaterThan(5);
      expect(sqlite.summaries[1]!.duplicates).toBeGreaterThan(60);
      expect(postgres.summaries).toEqual(sqlite.summaries);
      expect(postgres.rows.pairs).toEqual(sqlite.rows.pairs);
      expect(postgres.rows.internal).toEqual(sqlite.rows.internal);
      expect(postgres.rows.persons).toEqual(sqlite.rows.persons);
      expect(postgres.rows.interactions).toEqual(sqlite.rows.interactions);
      expect(postgres.rows.parties).toEqual(sqlite.rows.parties);
    },
  );
});
