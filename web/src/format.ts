/** Words and numbers for CRM records, the same on every screen. */

/** An amount in its currency ("$120,000", "€80,000"); without a currency, the plain number and a note. */
export function fmtMoney(amount: number | null, currency: string | null): string {
  if (amount === null) return "no amount";
  if (!currency) return `${amount.toLocaleString()} (currency not given)`;
  try {
    return amount.toLocaleString(undefined, { style: "currency", currency, maximumFractionDigits: 0 });
  } catch {
    return `${amount.toLocaleString()} ${currency}`;
  }
}

/** "Open · Propose", "Won", "Lost". */
export function statusWords(status: "open" | "won" | "lost", stage: string | null): string {
  const s = { open: "Open", won: "Won", lost: "Lost" }[status];
  return status === "open" && stage ? `${s} · ${stage}` : s;
}
