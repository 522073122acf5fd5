import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SourceRecord } from "../domain/interaction";
import { readMbox } from "../ingest/sources/rfc5322";
import { grantConsent } from "../services/consent.service";
import { importDirectory } from "../services/directory.service";
import { importBatch, importRecords } from "../services/ingest.service";
import { createTenant } from "../services/tenant.service";
import { describeWithCorpora, enronMbox } from "../../test/helpers/corpora";
import { describeEachEngine } from "../../test/helpers/engines";
import { GraphTestServer, graphMessagesFrom } from "../../test/helpers/graph-server";
import { createGraphConnector } from "./graph";

const allen = "phillip.allen@enron.com";

describeWithCorpora("Graph connector records in the store", () =>
  describeEachEngine("Graph connector records in the store", (h) => {
    let server: GraphTestServer;
    let tenantId = "";
    let sent: Record<string, unknown>[] = [];

    beforeAll(async () => {
      h.setNow("2024-06-01T09:00:00Z");
      sent = await graphMessagesFrom(readMbox(join(enronMbox, "enron.allen-p.sent_items")));
      server = await new GraphTestServer().start();
      server.put(allen, "mail:sentitems", sent);
      const tenant = await createTenant(h.ctx(), {
        name: "Enron",
        domains: ["enron.com"],
        admin: { email: "admin@enron.com" },
      });
      tenantId = tenant.id;
      await importDirectory(
        h.ctx(),
        tenantId,
        {
          roles: [],
          groups: [],
          users: [
            {
              email: allen,
              externalId: null,
              name: "Phillip Allen",
              aliases: ["k..allen@enron.com", "pallen@enron.com"],
              guest: false,
              roles: ["Salesperson"],
              groups: null,
            },
          ],
        },
        [],
        "test",
      );
      await grantConsent(h.ctx(), tenantId, "identifiable", "admin@enron.com");
    });
    afterAll(() => server.close());

    it("a message fetched live and the same message exported to NDJSON are one stored email", async () => {
      const connector = createGraphConnector({
        tenantId: "contoso",
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        tokenUrl: server.tokenUrl(),
        graphBaseUrl: server.graphBaseUrl,
        folders: ["sentitems"],
        calendar: false,
      });
      const records: SourceRecord[] = [];
      for await (const page of connector.fetch(allen, null, new AbortController().signal))
        records.push(...page.records);
      await connector.close();
      const live = await importRecords(h.ctx(), tenantId, [
        { name: `graph:${allen}`, owner: allen, records },
      ]);
      expect(live).toMatchObject({ status: "done", read: 345, rejected: 0 });
      expect(live.stored).toBeGreaterThan(100);

      const file = join(mkdtempSync(join(tmpdir(), "kith-graph-")), "sent.ndjson");
      writeFileSync(file, sent.map((m) => JSON.stringify(m)).join("\n"));
      const exported = await importBatch(h.ctx(), tenantId, [file], { owner: allen });
      expect(exported).toMatchObject({ status: "done", read: 345, stored: 0 });
      expect(exported.duplicates).toBe(live.stored + live.duplicates);
    });
  }),
);
