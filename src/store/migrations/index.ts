import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001-foundation";

/** Migrations in order; names sort lexically. A static list, so bundling and tsx need no file scanning. */
const migrations: Record<string, Migration> = {
  "0001-foundation": m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
