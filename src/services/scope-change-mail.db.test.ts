import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../store/store";
import { beginSqliteMailRequest, sqliteScopeChangePending } from "../store/scope-lock";
import { createContext } from "./context";
import { changeScope } from "./scope-change";

/**
 * SQLite's guard for live mail requests (store/scope-lock.ts): no lock is held while a request is on
 * the wire, yet a scope change never commits while a request it could not stop is running, and a
 * request registered after the change was announced sees it. (PostgreSQL uses advisory locks,
 * tested through live sync in live-sync.db.test.ts.)
 */
describe("scope changes and live mail requests [sqlite]", () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kith-scope-mail-"));
    store = await openStore(join(dir, "kith.db"));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("lets writes of the same process through while a request is on the wire", async () => {
    const end = beginSqliteMailRequest(store);
    try {
      await store.transaction(async (trx) => {
        await trx.selectFrom("tenant").select("id").execute();
      });
    } finally {
      end();
    }
  });

  it("a change waits for a request already on the wire, and a request after the announcement sees it", async () => {
    const ctx = createContext(store, () => new Date("2026-06-01T09:00:00Z"));
    const end = beginSqliteMailRequest(store);
    let wrote = false;
    let seenPending = false;
    const change = changeScope(ctx, "any-tenant", async () => {
      wrote = true;
      return Promise.resolve();
    });
    await tick(100);
    seenPending = sqliteScopeChangePending(store);
    expect(wrote).toBe(false);
    end();
    await change;
    expect(wrote).toBe(true);
    expect(seenPending).toBe(true);
    expect(sqliteScopeChangePending(store)).toBe(false);
  });
});
