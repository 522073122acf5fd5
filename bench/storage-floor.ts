/**
 * Storage floors for the ingest bench: the least time SQLite itself needs to store the rows a batch
 * kept, copied from the finished store into empty ones by one `INSERT … SELECT … WHERE true` per
 * table in one transaction (no JavaScript, no parsing, no dedupe, no strength folding; `WHERE`
 * keeps SQLite from its transfer shortcut, which copies pages instead of building the B-trees row
 * by row as an import must). Same pragmas as Kith's store.

 *
 * The schema is the store's own, the lean one of migration 0060 (integer keys, packed
 * participants): the integer-key schemas this file priced before it was built are gone with it.
 */
import Sqlite from "better-sqlite3";
import { rmSync } from "node:fs";
import { numberedTables } from "../src/store/tenant-rows-delete";

const keptTables = [...numberedTables];

export interface Floor {
  seconds: number;
  rows: number;
}

function removeStore(path: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}

/** Copies `tables` of `from` into a new store at `to` made by `schema`; times the copy alone. */
function timedCopy(from: string, to: string, schema: readonly string[], tables: readonly string[]): Floor {
  removeStore(to);
  const db = new Sqlite(to);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("cache_size = -65536");
    for (const statement of schema) db.exec(statement);
    db.prepare("attach ? as kept").run(from);
    const started = performance.now();
    let rows = 0;
    db.exec("begin");
    for (const table of tables)
      rows += db.prepare(`insert into main.${table} select * from kept.${table} where true`).run().changes;
    db.exec("commit");
    return { seconds: (performance.now() - started) / 1000, rows };
  } finally {
    db.close();
    removeStore(to);
  }
}

/** The floor of Kith's own schema: the kept tables with their indexes, as the store has them. */
export function storageFloor(store: string, scratch: string): Floor {
  const source = new Sqlite(store, { readonly: true });
  const schema = source
    .prepare(
      `select sql from sqlite_master where sql is not null and tbl_name in (${keptTables.map(() => "?").join(",")})
       order by type desc`,
    )
    .pluck()
    .all(...keptTables) as string[];
  source.close();
  return timedCopy(store, scratch, schema, keptTables);
}
