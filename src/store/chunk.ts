/**
 * Bound-variable budgets. SQLite (as better-sqlite3 builds it) refuses a statement with more than
 * 32,766 `?` ("too many SQL variables"); PostgreSQL's wire protocol carries at most 65,535
 * parameters. Every statement whose variables grow with the data (an `in (…)` list, a multi-row
 * insert) goes through `chunked` with the smaller budget, so the same code runs on both engines
 * whatever the size of a directory.
 */
export const maxBoundVariables = 32_766;

/**
 * Splits `items` into consecutive chunks such that `fixed + chunk.length * perItem` stays within
 * `maxBoundVariables` (and each chunk holds at most `maxItems`). `perItem` is the variables one
 * item binds (one for an `in` list, the column count for an inserted row); `fixed` the statement's
 * other variables (tenant id, a time).
 */
export function chunked<T>(
  items: readonly T[],
  perItem: number,
  fixed = 0,
  maxItems = Number.POSITIVE_INFINITY,
): T[][] {
  if (!Number.isInteger(perItem) || perItem < 1) throw new RangeError(`perItem must be ≥ 1, not ${perItem}`);
  const size = Math.min(maxItems, Math.floor((maxBoundVariables - fixed) / perItem));
  if (size < 1) throw new RangeError(`${fixed} fixed variables leave no room for an item of ${perItem}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
