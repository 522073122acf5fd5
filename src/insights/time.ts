/**
 * Time helpers shared by the insights. Every instant in src/insights is epoch milliseconds (UTC);
 * callers convert `Date` at the edge with `date.getTime()`.
 */

export const hourMs = 3_600_000;
export const dayMs = 86_400_000;

/** `YYYY-MM-DD` of an instant in UTC shifted by `utcOffsetMinutes` (the viewer's zone, default UTC). */
export function isoDay(at: number, utcOffsetMinutes = 0): string {
  const shifted = at + utcOffsetMinutes * 60_000;
  // Answers name the same few hundred days again and again: format each day once.
  const day = Math.floor(shifted / dayMs);
  let text = isoDays.get(day);
  if (text === undefined) {
    text = new Date(shifted).toISOString().slice(0, 10);
    if (isoDays.size >= 4096) isoDays.clear();
    isoDays.set(day, text);
  }
  return text;
}

const isoDays = new Map<number, string>();

/** Start (epoch ms, UTC) of the day containing `at` in the zone `utcOffsetMinutes`. */
export function startOfDay(at: number, utcOffsetMinutes = 0): number {
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((at + offset) / dayMs) * dayMs - offset;
}

/** Median of a non-empty list (the list is not modified). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? Number.NaN;
  return ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
