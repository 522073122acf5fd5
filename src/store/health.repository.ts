import { Migrator, sql } from "kysely";
import { migrationProvider } from "./migrations/index";
import type { Db } from "./store";

/** Readiness: the store answers a query, and every known migration has been applied. */
export async function checkStore(db: Db): Promise<{ reachable: boolean; pendingMigrations: string[] }> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return { reachable: false, pendingMigrations: [] };
  }
  const migrations = await new Migrator({ db, provider: migrationProvider }).getMigrations();
  return { reachable: true, pendingMigrations: migrations.filter((m) => !m.executedAt).map((m) => m.name) };
}
