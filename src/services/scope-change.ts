import { announceScopeChange, lockScopeForChange, waitForSqliteMailRequests } from "../store/scope-lock";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";

/**
 * How long a change that narrows the collection scope waits for the store's write lock (SQLite)
 * while an import yields it. An import yields within one record batch; only the final merge of a
 * very large batch (minutes at 8M emails) cannot be interrupted, so the wait is generous: the
 * change must not fail because an import is running (SPEC §3).
 */
const scopeChangeLockWaitMs = 30 * 60_000;

/**
 * Runs `work` as a change that narrows what may be collected for `tenantId` (consent withdrawn,
 * sharing turned off, opted-out groups or collection roles changed, relationship intelligence
 * turned off, users or memberships changed in bulk). Running imports see it announced, roll back
 * and run again after it with the new scope; an import about to commit finishes first and the
 * change then sees (and purges) what it stored. See store/scope-lock.ts.
 */
export async function changeScope<T>(
  ctx: ServiceContext,
  tenantId: string,
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  const withdraw = announceScopeChange(ctx.store);
  try {
    // SQLite: live mail requests already on the wire end first; later ones see the announcement.
    await waitForSqliteMailRequests(ctx.store);
    return await ctx.store.transaction(
      async (trx) => {
        await lockScopeForChange(trx, ctx.store, tenantId);
        return work(trx);
      },
      { lockWaitMs: scopeChangeLockWaitMs },
    );
  } finally {
    withdraw();
  }
}
