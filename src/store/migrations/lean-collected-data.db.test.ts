/**
 * Migration 0060 (the lean collected-data schema) keeps every result. A store collected in the
 * old layout (text keys, JSON participants, clear subjects and names, legacy pair-state blobs) is
 * built with the very rows a lean import of the same mail holds, migrated, and compared with that
 * import: the same rows (addresses, keys, participants, people, every strength state), and the
 * same insight answers — who-knows-whom, account introducers, KPIs, account engagement.
 */
import { legacyBlob } from "../../../test/helpers/pair-state-blobs";
import { randomBytes } from "node:crypto";
import type * as Crypto from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { collectedRows } from "../../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../../test/helpers/directory";
import { dropSchema, inspect, testPostgresUrl } from "../../../test/helpers/engines";
import { ingestDigest } from "../../../test/helpers/store-digest";
import type { EmailRecord } from "../../domain/interaction";
import { createSeededRng } from "../../insights/rng";
import type { PairState } from "../../insights/strength";
import { grantConsent, setRelationshipIntelligence } from "../../services/consent.service";
import { createContext, type ServiceContext } from "../../services/context";
import { accountEngagement, parsePeriod } from "../../services/engagement.service";
import { importRecords } from "../../services/ingest.service";
import { recordKpis } from "../../services/kpis.service";
import { setCaptureLevel } from "../../services/ri-settings.service";
import { accountIntroducers, whoKnowsWhom } from "../../services/who-knows-whom.service";
import { decodePairState } from "../pair-state-codec";
import { createMigrator, migrateToLatest, openStore, type Engine, type Store } from "../store";

// Engagement releases add noise from node:crypto's randomInt: a seeded stand-in, reset before
// each question, so both stores draw the same noise.
let draws = 1;
vi.mock("node:crypto", async (original) => {
  const actual = await original<typeof Crypto>();
  const next = () => {
    draws = (draws * 48271) % 2147483647;
    return draws;
  };
  return {
    ...actual,
    randomInt: (a: number, b?: number) => (b === undefined ? next() % a : a + (next() % (b - a))),
  };
});

const users = ["alice", "bob", "carl", "dana", "erin"].map((n) => `${n}@contoso.com`);
const externals = Array.from(
  { length: 30 },
  (_, i) => `p${i}@${["fabrikam.com", "northwind.com", "litware.com"][i % 3]}`,
);
const admin = "admin@contoso.com";
const now = new Date("2026-07-01T09:00:00Z");

function mail(): EmailRecord[] {
  const rand = createSeededRng(60);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: EmailRecord[] = [];
  for (let i = 0; i < 500; i++) {
    const outbound = rand() < 0.5;
    const from = outbound ? pick(users) : pick(externals);
    const to = [outbound ? pick(externals) : pick(users), pick(users), pick(externals)].filter(
      (a) => a !== from,
    );
    const at = Date.UTC(2026, 0, 1) + Math.floor(rand() * 170) * 86_400_000 + Math.floor(rand() * 86_400_000);
    const thread = Math.floor(rand() * 60);
    out.push({
      type: "email",
      position: { file: "generated", record: i },
      messageId: `m${i}@lean.test`,
      conversationId: rand() < 0.5 ? `conv-${thread}` : null,
      inReplyTo: rand() < 0.3 ? `m${Math.max(0, i - 1)}@lean.test` : null,
      sentAt: new Date(at),
      from: { address: from, ...(rand() < 0.5 ? { name: `Name ${from}` } : {}) },
      to: [...new Set(to)].map((address) => ({ address })),
      cc: rand() < 0.3 ? [{ address: pick(externals) }].filter((c) => c.address !== from) : [],
      subject: rand() < 0.8 ? `Re: topic ${thread}` : null,
      owner: null,
      folder: null,
      noise: {},
    });
  }
  return out;
}

interface Opened {
  store: Store;
  ctx: ServiceContext;
  tenantId: string;
  close: () => Promise<void>;
}

async function open(engine: Engine, migrate: boolean): Promise<Opened> {
  let store: Store;
  let cleanup: () => Promise<void>;
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "kith-lean-"));
    store = await openStore(join(dir, "kith.db"), { migrate: false });
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  } else {
    const schema = `lean_${randomBytes(5).toString("hex")}`;
    store = await openStore(testPostgresUrl, { schema, migrate: false });
    cleanup = () => dropSchema(schema);
  }
  if (migrate) await migrateToLatest(store.db);
  else
    expect(
      (await (await createMigrator(store.db)).migrateTo("0050-opportunity-stage-currency")).error,
    ).toBeUndefined();
  const ctx = createContext(store, () => now);
  const tenantId = await createTenantWithUsers(
    ctx,
    { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
    users.map((u) => directoryUser(u)),
  );
  for (const t of ["identifiable", "aggregated"] as const) await grantConsent(ctx, tenantId, t, admin);
  await setRelationshipIntelligence(ctx, tenantId, true, admin);
  await setCaptureLevel(ctx, tenantId, "subject", admin);
  return {
    store,
    ctx,
    tenantId,
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
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

async function userIds(o: Opened): Promise<Map<string, string>> {
  const rows = await inspect(() =>
    o.store.db.selectFrom("app_user").select(["id", "email"]).where("tenant_id", "=", o.tenantId).execute(),
  );
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** Writes the reference store's collected rows into `old` in the layout of migrations 0006–0050. */
async function writeOldLayout(reference: Opened, old: Opened): Promise<void> {
  const rows = await collectedRows(reference.store, reference.tenantId);
  const emailOf = new Map([...(await userIds(reference))].map(([email, id]) => [id, email]));
  const oldIds = await userIds(old);
  const user = (id: string | null) => (id === null ? null : oldIds.get(emailOf.get(id)!)!);
  const t = old.tenantId;
  // The old layout predates the Database interface.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = old.store.db as unknown as Kysely<any>;
  await inspect(async () => {
    for (const r of rows.interactions) {
      const participants = JSON.stringify(r.participants.map(([a, role, id]) => [a, role, user(id)]));
      await sql`insert into interaction (seq, tenant_id, id, message_key, kind, occurred_at, ended_at, month, sender,
          participants, participant_count, internal_only, subject, conversation_id, in_reply_to, batch_id)
        values (${r.seq}, ${t}, ${r.id}, ${r.message_key}, ${r.kind}, ${r.occurred_at}, ${r.ended_at},
          ${Number(new Date(r.occurred_at).toISOString().slice(0, 7).replace("-", ""))}, ${r.sender},
          ${participants}, ${r.participant_count}, ${r.internal_only}, ${r.subject}, ${r.conversation_id},
          ${r.in_reply_to}, 'b1')`.execute(db);
    }
    for (const p of rows.parties)
      await sql`insert into interaction_party (tenant_id, address, occurred_at, seq, role, user_id)
        values (${t}, ${p.address}, ${p.occurred_at}, ${p.seq}, ${p.role}, ${user(p.user_id)})`.execute(db);
    for (const p of rows.persons)
      await sql`insert into person (tenant_id, address, name, domain, first_at, last_at)
        values (${t}, ${p.address}, ${p.name}, ${p.domain}, ${p.first_at}, ${p.last_at})`.execute(db);
    for (const p of rows.pairs)
      await sql`insert into pair_state (tenant_id, person, user_id, state, last_at)
        values (${t}, ${p.person}, ${user(p.user_id)}, ${legacyBlob(decodePairState(p.state))}, ${p.last_at})`.execute(
        db,
      );
    for (const p of rows.internal) {
      // user_a < user_b by id, and the old store's ids are others: orient by them.
      const [a, b] = [user(p.user_a)!, user(p.user_b)!];
      const state = decodePairState(p.state);
      await sql`insert into internal_pair_state (tenant_id, user_a, user_b, state, last_at)
        values (${t}, ${a < b ? a : b}, ${a < b ? b : a}, ${legacyBlob(a < b ? state : mirrored(state))},
          ${p.last_at})`.execute(db);
    }
  });
}

/** Insight answers, with the store's user ids replaced by addresses. */
async function answers(o: Opened): Promise<unknown> {
  const ids = await userIds(o);
  const out: Record<string, unknown> = {};
  for (const person of externals.slice(0, 12)) {
    out[`who ${person}`] = await whoKnowsWhom(o.ctx, o.tenantId, person, null);
    out[`kpis ${person}`] = await recordKpis(o.ctx, o.tenantId, "contact", person, null);
  }
  for (const domain of ["fabrikam.com", "northwind.com", "litware.com"]) {
    out[`introducers ${domain}`] = await accountIntroducers(o.ctx, o.tenantId, domain, null);
    draws = 1;
    out[`engagement ${domain}`] = (
      await accountEngagement(o.ctx, o.tenantId, domain, parsePeriod("month:2026-05"), null)
    ).engagement;
  }
  let text = JSON.stringify(out);
  for (const [email, id] of ids) text = text.replaceAll(id, email);
  return JSON.parse(text);
}

describe.each(["sqlite", "postgres"] as const)("migration 0060 (lean collected data) [%s]", (engine) => {
  it(
    "gives the rows and insight answers of a lean import of the same mail",
    { timeout: 180_000 },
    async () => {
      const reference = await open(engine, true);
      const old = await open(engine, false);
      try {
        const summary = await importRecords(reference.ctx, reference.tenantId, [
          { name: "mail", records: mail() },
        ]);
        expect(summary.stored).toBeGreaterThan(400);
        await writeOldLayout(reference, old);
        await migrateToLatest(old.store.db);

        const expected = await ingestDigest(reference.store, reference.tenantId);
        expect(await ingestDigest(old.store, old.tenantId)).toEqual(expected);
        expect(expected.pairs).toMatch(/^[1-9]\d+:/);
        expect(expected.internal).toMatch(/^[1-9]\d*:/);
        const migratedRows = await collectedRows(old.store, old.tenantId);
        const referenceRows = await collectedRows(reference.store, reference.tenantId);
        // Numbers differ (the migration numbers addresses as it meets them): compare by address.
        const byAddress = (rows: typeof migratedRows.persons) =>
          rows.slice().sort((x, y) => (x.address < y.address ? -1 : 1));
        expect(byAddress(migratedRows.persons)).toEqual(byAddress(referenceRows.persons));
        expect(migratedRows.interactions.map((i) => i.subject)).toEqual(
          referenceRows.interactions.map((i) => i.subject),
        );
        expect(migratedRows.interactions.some((i) => i.subject !== null)).toBe(true);

        const before = await answers(reference);
        expect(await answers(old)).toEqual(before);
        expect(JSON.stringify(before)).toContain("alice@contoso.com");

        // The migrated store goes on: new mail lands after the migrated rows, numbered after them.
        const more = await importRecords(old.ctx, old.tenantId, [
          {
            name: "later",
            records: [
              {
                ...mail()[0]!,
                messageId: "later@lean.test",
                sentAt: new Date("2026-06-30T10:00:00Z"),
                from: { address: "new.person@fabrikam.com", name: "New Person" },
              },
            ],
          },
        ]);
        expect(more.stored).toBe(1);
        const after = await collectedRows(old.store, old.tenantId);
        expect(after.interactions.length).toBe(migratedRows.interactions.length + 1);
        expect(after.addresses).toContain("new.person@fabrikam.com");
        expect(new Set(after.addresses).size).toBe(after.addresses.length);
      } finally {
        await reference.close();
        await old.close();
      }
    },
  );
});
