/** CSV rows with the line each starts on (csv-parse does the RFC 4180 work). */
import { parse } from "csv-parse/sync";

export interface CsvRow {
  fields: string[];
  /** 1-based line where the row starts. */
  line: number;
}

interface ParsedRow {
  record: string[];
  info: { lines: number };
}

/** Rows of a CSV text; rows of differing length are kept (the caller reports them). */
export function parseCsv(text: string): CsvRow[] {
  const rows = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    bom: true,
  }) as unknown as ParsedRow[];
  // csv-parse reports the line a record ends on; quoted fields may span lines.
  return rows.map(({ record, info }) => ({
    fields: record,
    line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
  }));
}
