/**
 * Retention (issue 18): a tenant keeps collected data for a number of calendar months. The cutoff
 * is the same day and time that many months earlier (UTC), the day clamped to the month's length
 * (31 March minus one month is 28 or 29 February): data before it goes, data from it on stays.
 */
export function retentionCutoff(now: Date, months: number): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(now.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      y,
      m,
      day,
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}
