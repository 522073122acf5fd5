/**
 * Monthly partitions of `interaction` and `interaction_party` on PostgreSQL (migration 0070,
 * issue 15), and what must not change with them on either engine: a message is stored once per
 * tenant whatever month its copies carry, dedupe decides as SQLite's `insert or ignore` does, and
 * a month's retention purge removes that tenant's rows of the month and nobody else's.
 */
import { sql } from "kysely";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { collectedRows } from "../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect, testPostgresUrl } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence, withdrawConsent } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { enforceRetention, setRetention } from "../services/retention.service";
import { purgeTenantInteractions } from "./interaction-purge.repository";
import { dropEmptyMonthPartitions, ensureMonthPartitions, partitionName } from "./partitions";
import { purgeInteractionMonth } from "./retention.repository";

const megan = "meganb@contoso.com";
const lee = "lee@fabrikam.com";
const kim = "kim@northwind.com";

describeEachEngine("monthly partitions", (h) => {
  let contoso = "";
  let adatum = "";

  const tenant = async (name: string, domain: string, users: string[]) => {
    const ctx = h.ctx();
    const admin = `admin@${domain}`;
    const id = await createTenantWithUsers(
      ctx,
      { name, slug: name.toLowerCase(), domain, admin },
      users.map((u) => directoryUser(u)),
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, id, t, admin);
    await setRelationshipIntelligence(ctx, id, true, admin);
    return id;
  };
  const rows = async (tenantId: string) =>
    (await collectedRows(h.store(), tenantId)).interactions
      .map((r) => ({ at: new Date(r.occurred_at).toISOString(), to: r.participants.map((p) => p[0]).sort() }))
      .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));

  /** PostgreSQL: the file behind a month's partition of `interaction` (a truncate gives it a new one); null when it has none. */
  const fileOf = (month: number) =>
    inspect(async () =>
      h.engine === "postgres"
        ? ((
            await sql<{
              file: string;
            }>`select relfilenode::text as file from pg_class where relname = ${partitionName("interaction", month)} and relnamespace = to_regnamespace(current_schema())`.execute(
              h.store().db,
            )
          ).rows[0]?.file ?? null)
        : null,
    );
  /** PostgreSQL: the months (YYYYMM) of `year` that have partitions, per table. */
  const monthsWithPartitions = async (year: number) =>
    inspect(async () =>
      (
        await sql<{ name: string }>`select relname as name from pg_class
          where relname like ${`interaction%_m${year}%`} and relkind = 'r'
            and relnamespace = to_regnamespace(current_schema()) order by 1`.execute(h.store().db)
      ).rows.map((r) => r.name),
    );

  beforeAll(async () => {
    h.setNow("2026-06-15T09:00:00Z");
    contoso = await tenant("Contoso", "contoso.com", [megan]);
    adatum = await tenant("Adatum", "adatum.com", ["sam@adatum.com"]);
  });

  it("stores a message once when its copies carry one Message-ID but were sent in different months", async () => {
    const id = { messageId: "<quarter-end@contoso.com>" };
    // Across batches: the later copy, a month on, finds the first one stored.
    await importRecords(h.ctx(), contoso, [
      { name: "sent", records: [emailRecord("2025-01-31T23:59:00Z", megan, [lee], id)] },
    ]);
    const second = await importRecords(h.ctx(), contoso, [
      { name: "inbox", records: [emailRecord("2025-02-01T00:01:00Z", megan, [lee, kim], id)] },
    ]);
    expect(second.stored).toBe(0);
    // Within a batch: the first copy in the batch wins.
    const within = await importRecords(h.ctx(), contoso, [
      {
        name: "both",
        records: [
          emailRecord("2025-03-31T23:00:00Z", megan, [kim], { messageId: "<twice@contoso.com>" }),
          emailRecord("2025-04-01T01:00:00Z", megan, [lee, kim], { messageId: "<twice@contoso.com>" }),
        ],
      },
    ]);
    expect(within.stored).toBe(1);
    expect(await rows(contoso)).toEqual([
      { at: "2025-01-31T23:59:00.000Z", to: [lee, megan] },
      { at: "2025-03-31T23:00:00.000Z", to: [kim, megan] },
    ]);
  });

  it("skips a copy already stored without letting it take its Message-ID from a later message", async () => {
    const sent = "2025-05-10T10:00:00Z";
    const subject = { subject: "Renewal" };
    await importRecords(h.ctx(), contoso, [
      {
        name: "sent",
        records: [emailRecord(sent, megan, [lee], { ...subject, messageId: "<a@contoso.com>" })],
      },
    ]);
    // The first record is a copy of the stored mail (same sent second, sender, recipients, subject:
    // same fingerprint) under another id; it is skipped, so the second, a different message that
    // reuses that id, is kept — as SQLite's row-by-row `insert or ignore` decides.
    const batch = await importRecords(h.ctx(), contoso, [
      {
        name: "archive",
        records: [
          emailRecord(sent, megan, [lee], { ...subject, messageId: "<b@contoso.com>" }),
          emailRecord("2025-06-02T10:00:00Z", megan, [kim], {
            subject: "Other",
            messageId: "<b@contoso.com>",
          }),
        ],
      },
    ]);
    expect(batch.stored).toBe(1);
    expect((await rows(contoso)).filter((r) => r.at >= "2025-05")).toEqual([
      { at: "2025-05-10T10:00:00.000Z", to: [lee, megan] },
      { at: "2025-06-02T10:00:00.000Z", to: [kim, megan] },
    ]);
  });

  it("knows a copy by its fingerprint when its sent time differs below the second", async () => {
    const copy = { subject: "Offer", messageId: "<offer-1@contoso.com>" };
    await importRecords(h.ctx(), contoso, [
      { name: "sent", records: [emailRecord("2025-06-30T23:59:59.900Z", megan, [lee], copy)] },
    ]);
    // Same second, sender, recipients and subject: the same fingerprint, whatever the milliseconds.
    const later = await importRecords(h.ctx(), contoso, [
      {
        name: "inbox",
        records: [
          emailRecord("2025-06-30T23:59:59.100Z", megan, [lee], {
            ...copy,
            messageId: "<offer-2@contoso.com>",
          }),
        ],
      },
    ]);
    expect(later.stored).toBe(0);
    expect((await rows(contoso)).filter((r) => r.at.startsWith("2025-06-30"))).toEqual([
      { at: "2025-06-30T23:59:59.900Z", to: [lee, megan] },
    ]);
  });

  it("removes a month of one tenant, leaving the same month of another tenant whole", async () => {
    await importRecords(h.ctx(), contoso, [
      {
        name: "mail",
        records: [
          emailRecord("2025-07-03T10:00:00Z", megan, [lee]),
          emailRecord("2025-07-20T10:00:00Z", lee, [megan]),
          emailRecord("2025-08-03T10:00:00Z", megan, [kim]),
        ],
      },
    ]);
    await importRecords(h.ctx(), adatum, [
      { name: "mail", records: [emailRecord("2025-08-04T10:00:00Z", "sam@adatum.com", [lee])] },
    ]);
    const july = Date.UTC(2025, 6, 1);
    const august = Date.UTC(2025, 7, 1);
    const file = (table: string, month: number) =>
      inspect(async () =>
        h.engine === "postgres"
          ? (
              await sql<{
                file: string;
              }>`select relfilenode::text as file from pg_class where relname = ${partitionName(table as "interaction", month)} and relnamespace = to_regnamespace(current_schema())`.execute(
                h.store().db,
              )
            ).rows[0]?.file
          : null,
      );
    const before = { july: await file("interaction", july), august: await file("interaction", august) };

    // July holds Contoso's rows only; August Adatum's too.
    expect(
      await h.store().transaction((trx) => purgeInteractionMonth(trx, contoso, july, Date.UTC(2025, 7, 1))),
    ).toEqual({ interactions: 2, participations: 4 });
    expect(
      await h.store().transaction((trx) => purgeInteractionMonth(trx, contoso, august, Date.UTC(2025, 8, 1))),
    ).toEqual({ interactions: 1, participations: 2 });

    expect((await rows(contoso)).filter((r) => r.at >= "2025-07")).toEqual([]);
    expect(await rows(adatum)).toEqual([{ at: "2025-08-04T10:00:00.000Z", to: [lee, "sam@adatum.com"] }]);
    expect((await collectedRows(h.store(), adatum)).parties).toHaveLength(2);
    if (h.engine === "postgres") {
      // July's partition was emptied whole (truncated: a new file); August's, shared, row by row.
      expect(await file("interaction", july)).not.toBe(before.july);
      expect(await file("interaction", august)).toBe(before.august);
    }
  });

  if (h.engine === "postgres") {
    it("keeps each month in a partition of its own per table, protected like its parent", async () => {
      const months = await inspect(
        async () =>
          (
            await sql<{ parent: string; name: string; secured: boolean; forced: boolean; policies: number }>`
              select p.relname as parent, c.relname as name, c.relrowsecurity as secured,
                c.relforcerowsecurity as forced, (select count(*)::integer from pg_policy where polrelid = c.oid) as policies
              from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
              where p.relnamespace = to_regnamespace(current_schema()) and c.relkind = 'r' order by 1, 2`.execute(
              h.store().db,
            )
          ).rows,
      );
      const expected = (parent: string) =>
        ["202501", "202503", "202505", "202506", "202507", "202508"].map((m) => ({
          parent,
          name: `${parent}_m${m}`,
          secured: true,
          forced: true,
          policies: 2,
        }));
      expect(months).toEqual([...expected("interaction"), ...expected("interaction_party")]);
      // Every stored row sits in its month's partition.
      const misplaced = await inspect(
        async () =>
          (
            await sql<{ n: number }>`select count(*)::integer as n from interaction
              where tableoid::regclass::text <> 'interaction_m' || to_char(to_timestamp(occurred_at / 1000.0) at time zone 'UTC', 'YYYYMM')`.execute(
              h.store().db,
            )
          ).rows[0]!.n,
      );
      expect(misplaced).toBe(0);
    });

    it("creates a new month once when two transactions meet it at the same time, and not at all when rolled back", async () => {
      const store = h.store();
      const month = Date.UTC(2031, 0, 1);
      let created!: () => void;
      const firstCreated = new Promise<void>((resolve) => (created = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first = store.transaction(async (trx) => {
        await ensureMonthPartitions(trx, [month + 5 * 86_400_000]);
        created();
        await gate;
      });
      await firstCreated;
      const second = store.transaction((trx) => ensureMonthPartitions(trx, [month + 20 * 86_400_000]));
      // The second waits on the first's advisory lock before the first commits.
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        for (let i = 0; i < 500; i++) {
          const waiting = await client.query(
            "select count(*)::integer as n from pg_locks where locktype = 'advisory' and not granted",
          );
          if ((waiting.rows[0] as { n: number }).n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        await client.end();
      }
      release();
      await Promise.all([first, second]);
      const names = async (prefix: string) =>
        inspect(async () =>
          (
            await sql<{ name: string }>`select relname as name from pg_class
                where relname like ${`${prefix}%`} and relkind = 'r' and relnamespace = to_regnamespace(current_schema()) order by 1`.execute(
              store.db,
            )
          ).rows.map((r) => r.name),
        );
      expect(await names("interaction_m2031")).toEqual(["interaction_m203101"]);
      expect(await names("interaction_party_m2031")).toEqual(["interaction_party_m203101"]);

      await expect(
        store.transaction(async (trx) => {
          await ensureMonthPartitions(trx, [Date.UTC(2032, 2, 3)]);
          throw new Error("the batch fails");
        }),
      ).rejects.toThrow("the batch fails");
      expect(await names("interaction_m2032")).toEqual([]);
    });
  }

  describe("emptying and dropping months", () => {
    let fabrikam = "";
    let northwind = "";
    const ann = "ann@fabrikam.com";
    const ned = "ned@northwind.com";
    // People outside both tenants' domains.
    const pat = "pat@example.org";
    const joe = "joe@example.net";
    const jan = Date.UTC(2025, 8, 1);
    const feb = Date.UTC(2025, 9, 1);
    const apr = Date.UTC(2025, 11, 1);

    beforeAll(async () => {
      fabrikam = await tenant("Fabrikam", "fabrikam.com", [ann]);
      northwind = await tenant("Northwind", "northwind.com", [ned]);
    });

    it("a tenant's purge truncates the months it holds alone, deletes its rows of shared months, and counts both", async () => {
      await importRecords(h.ctx(), fabrikam, [
        {
          name: "mail",
          records: [
            emailRecord("2025-09-05T10:00:00Z", ann, [pat]),
            emailRecord("2025-09-20T10:00:00Z", pat, [ann, joe]),
            emailRecord("2025-10-10T10:00:00Z", ann, [joe]),
          ],
        },
      ]);
      await importRecords(h.ctx(), northwind, [
        {
          name: "mail",
          records: [
            emailRecord("2025-10-11T10:00:00Z", ned, [pat]),
            emailRecord("2025-12-01T10:00:00Z", ned, [joe]),
          ],
        },
      ]);
      const theirs = await collectedRows(h.store(), northwind);
      const before = { jan: await fileOf(jan), feb: await fileOf(feb), apr: await fileOf(apr) };

      const counts = await h.store().transaction((trx) => purgeTenantInteractions(trx, fabrikam));
      expect(counts).toMatchObject({ interactions: 3, participations: 7 });

      const left = await collectedRows(h.store(), fabrikam);
      expect([left.interactions.length, left.parties.length, left.pairs.length]).toEqual([0, 0, 0]);
      expect(await collectedRows(h.store(), northwind)).toEqual(theirs);
      if (h.engine === "postgres") {
        // January, Fabrikam's alone, was truncated; February, shared, emptied of Fabrikam's rows
        // one by one; April, Northwind's alone, not touched.
        expect(await fileOf(jan)).not.toBe(before.jan);
        expect(await fileOf(feb)).toBe(before.feb);
        expect(await fileOf(apr)).toBe(before.apr);
      }
    });

    it("a withdrawal drops the months it left with no tenant; a later import of such a month makes them again", async () => {
      const admin = "admin@fabrikam.com";
      await importRecords(h.ctx(), fabrikam, [
        { name: "mail", records: [emailRecord("2025-09-07T10:00:00Z", ann, [pat])] },
      ]);
      await withdrawConsent(h.ctx(), fabrikam, "identifiable", admin);
      const withdrawn = await withdrawConsent(h.ctx(), fabrikam, "aggregated", admin);
      expect(withdrawn.receipt?.counts).toMatchObject({ interactions: 1, participations: 2 });
      expect((await collectedRows(h.store(), fabrikam)).interactions).toEqual([]);
      if (h.engine === "postgres")
        // (The months before September hold other tenants' rows, July's none any more.)
        expect((await monthsWithPartitions(2025)).filter((n) => n.slice(-6) >= "202509")).toEqual([
          "interaction_m202510",
          "interaction_m202512",
          "interaction_party_m202510",
          "interaction_party_m202512",
        ]);

      for (const t of ["identifiable", "aggregated"] as const)
        await grantConsent(h.ctx(), fabrikam, t, admin);
      const again = await importRecords(h.ctx(), fabrikam, [
        { name: "mail", records: [emailRecord("2025-09-08T10:00:00Z", ann, [joe])] },
      ]);
      expect(again.stored).toBe(1);
      expect(await rows(fabrikam)).toEqual([{ at: "2025-09-08T10:00:00.000Z", to: [ann, joe] }]);
      if (h.engine === "postgres") expect(await monthsWithPartitions(2025)).toContain("interaction_m202509");
    });

    it("retention drops a month it left with no tenant; a later import of that month makes it again", async () => {
      await setRetention(h.ctx(), northwind, 7, "admin@northwind.com");
      // Cutoff 15 November 2025: Northwind's October mail (the month now its alone) goes.
      const run = await enforceRetention(h.ctx(), northwind);
      expect(run.counts).toMatchObject({ interactions: 1, participations: 2 });
      expect(await rows(northwind)).toEqual([{ at: "2025-12-01T10:00:00.000Z", to: [joe, ned] }]);
      if (h.engine === "postgres") {
        expect(run.counts.partitionsDropped).toBe(1);
        expect((await monthsWithPartitions(2025)).filter((n) => n.includes("202510"))).toEqual([]);
      }
      const again = await importRecords(h.ctx(), northwind, [
        { name: "mail", records: [emailRecord("2025-10-20T10:00:00Z", ned, [pat])] },
      ]);
      expect(again.stored).toBe(1);
      expect((await rows(northwind)).map((r) => r.at)).toEqual([
        "2025-10-20T10:00:00.000Z",
        "2025-12-01T10:00:00.000Z",
      ]);
      if (h.engine === "postgres")
        expect((await monthsWithPartitions(2025)).filter((n) => n.includes("202510"))).toEqual([
          "interaction_m202510",
          "interaction_party_m202510",
        ]);
    });

    if (h.engine === "postgres") {
      it("does not drop a month a transaction has found and is about to write", async () => {
        const store = h.store();
        const month = Date.UTC(2033, 4, 1);
        await store.transaction((trx) => ensureMonthPartitions(trx, [month]));
        let found!: () => void;
        const writerFound = new Promise<void>((resolve) => (found = resolve));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const writer = store.transaction(async (trx) => {
          await ensureMonthPartitions(trx, [month + 86_400_000]);
          found();
          await gate;
        });
        await writerFound;
        // The writer holds the parents' writer lock: the drop cannot take them, and leaves the month.
        expect(await dropEmptyMonthPartitions(store, [month])).toEqual([]);
        release();
        await writer;
        expect(await monthsWithPartitions(2033)).toEqual([
          "interaction_m203305",
          "interaction_party_m203305",
        ]);
        // Nobody wrote it: the next run drops it.
        expect(await dropEmptyMonthPartitions(store, [month])).toEqual([month]);
        expect(await monthsWithPartitions(2033)).toEqual([]);
      });

      it("does not truncate a month whose other tenant's rows were still uncommitted when the purge looked", async () => {
        const march = Date.UTC(2024, 2, 1);
        await importRecords(h.ctx(), northwind, [
          { name: "mail", records: [emailRecord("2024-03-03T10:00:00Z", ned, [pat])] },
        ]);
        let merged!: () => void;
        const adatumMerged = new Promise<void>((resolve) => (merged = resolve));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const adatumImport = importRecords(
          h.ctx(),
          adatum,
          [{ name: "mail", records: [emailRecord("2024-03-04T10:00:00Z", "sam@adatum.com", [joe])] }],
          {
            onPoint: async (point) => {
              if (point !== "committing") return;
              merged();
              await gate;
            },
          },
        );
        await adatumMerged;
        let purged = false;
        const purge = h
          .store()
          .transaction((trx) => purgeInteractionMonth(trx, northwind, march, Date.UTC(2024, 3, 1)))
          .finally(() => (purged = true));
        // The purge waits for Adatum's transaction (a lock on March's partitions) or went through.
        const client = new pg.Client({ connectionString: testPostgresUrl });
        await client.connect();
        try {
          while (!purged) {
            const waiting = await client.query(
              `select count(*)::integer as n from pg_locks l join pg_class c on c.oid = l.relation
                where not granted and c.relname = $1`,
              [partitionName("interaction", march)],
            );
            if ((waiting.rows[0] as { n: number }).n > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        } finally {
          await client.end();
        }
        release();
        expect((await adatumImport).stored).toBe(1);
        expect(await purge).toEqual({ interactions: 1, participations: 2 });
        expect((await rows(northwind)).filter((r) => r.at.startsWith("2024"))).toEqual([]);
        expect((await rows(adatum)).filter((r) => r.at.startsWith("2024"))).toEqual([
          { at: "2024-03-04T10:00:00.000Z", to: [joe, "sam@adatum.com"] },
        ]);
      });
    }
  });
});
