import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001-foundation";
import * as m0004 from "./0004-server";
import * as m0002 from "./0002-interactions";
import * as m0003 from "./0003-insights";
import * as m0005 from "./0005-partner";
import * as m0006 from "./0006-interaction-seq";
import * as m0007 from "./0007-consent-scope";
import * as m0008 from "./0008-scim-tokens";
import * as m0009 from "./0009-engagement-releases";
import * as m0010 from "./0010-row-level-security";
import * as m0020 from "./0020-live-sync";
import * as m0030 from "./0030-forget-requests";
import * as m0050 from "./0050-opportunity-stage-currency";
import * as m0060 from "./0060-lean-collected-data";
import * as m0070 from "./0070-monthly-partitions";
import * as m0080 from "./0080-lean-indexes";

/** Migrations in order; names sort lexically. A static list, so bundling and tsx need no file scanning. */
const migrations: Record<string, Migration> = {
  "0001-foundation": m0001,
  "0004-server": m0004,
  "0002-interactions": m0002,
  "0003-insights": m0003,
  "0005-partner": m0005,
  "0006-interaction-seq": m0006,
  "0007-consent-scope": m0007,
  "0008-scim-tokens": m0008,
  "0009-engagement-releases": m0009,
  "0010-row-level-security": m0010,
  "0020-live-sync": m0020,
  "0030-forget-requests": m0030,
  "0050-opportunity-stage-currency": m0050,
  "0060-lean-collected-data": m0060,
  "0070-monthly-partitions": m0070,
  "0080-lean-indexes": m0080,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
