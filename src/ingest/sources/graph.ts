/**
 * Microsoft Graph `message` / `event` JSON as exported: one object, an array, `{"value": [...],
 * "@odata.nextLink": ...}` pages (one page per file, or one page per NDJSON line), and NDJSON bulk
 * exports (one resource per line). NDJSON is read in multi-MB chunks decoded once and cut at
 * newlines, and can be parsed on several threads (graph-parallel.ts). A line or element that is
 * not valid JSON, or not a message or event, becomes a `rejected` record; the rest continues.
 *
 * Lines are parsed with JSON.parse, not a hand-written scanner: a projecting scanner that skipped
 * bodies and built only the kept members was written and measured on ~1 KB Graph message lines,
 * and V8's JSON.parse was faster (≈580k vs ≈435k lines/s on one core, measured when this was
 * written). In a profile of the whole path JSON.parse is about a third of the time; mapping to
 * records and garbage collection take the rest.
 */
import { readFile, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { SourceRecord } from "../../domain/interaction";
import { jsonErrorMessage, readHead, rejectedRecord, stripBom } from "./common";
import { flattenBatches } from "./batches";
import { readGraphParallel } from "./graph-parallel";
import { graphItemToRecord } from "./graph-map";
import { itemsOf, scanNdjsonRange } from "./graph-ndjson";
import type { MailSource, SourceReadOptions } from "./source";

/** NDJSON files at least this large may be parsed on several threads (see defaultWorkers). */
export const parallelThresholdBytes = 64 * 1024 * 1024;

/**
 * Threads for a file when the caller does not say. On 2 cores the pool measured no faster than
 * inline parsing (two parsers scale ≈1.4× on such a machine and the batch hand-over eats the
 * rest, as measured then), so it is used only from 3 cores on.
 */
export function defaultWorkers(size: number, cores = availableParallelism()): number {
  return size >= parallelThresholdBytes && cores > 2 ? Math.min(cores, 4) : 1;
}

/** Start/end offsets of the top-level elements of the JSON array whose `[` is at `open`. */
function splitJsonArray(text: string, open: number): Array<[number, number]> {
  const elements: Array<[number, number]> = [];
  let depth = 0;
  let start = -1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      if (start < 0) start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      continue;
    }
    if (c === 123 || c === 91) {
      if (start < 0) start = i;
      depth++;
    } else if (c === 125 || c === 93) {
      if (depth === 0) {
        if (start >= 0) elements.push([start, i]);
        return elements;
      }
      depth--;
    } else if (c === 44 && depth === 0) {
      if (start >= 0) elements.push([start, i]);
      start = -1;
    } else if (start < 0 && c !== 32 && c !== 9 && c !== 10 && c !== 13) start = i;
  }
  if (start >= 0) elements.push([start, text.length]);
  return elements;
}

function lineAt(text: string, index: number, from: { index: number; line: number }): number {
  let line = from.line;
  for (let i = text.indexOf("\n", from.index); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  from.index = index;
  from.line = line;
  return line;
}

/** A whole-document Graph file: one object, an array, or a `{"value": [...]}` page. */
async function* readGraphDocument(path: string, owner: string | null): AsyncGenerator<SourceRecord> {
  const text = stripBom(await readFile(path, "utf8"));
  let record = 0;
  const first = text.search(/\S/);
  if (first < 0) return;
  let arrayOpen = text[first] === "[" ? first : -1;
  if (arrayOpen < 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // A page whose one element is broken: fall back to its `value` array, element by element.
      const valueArray = /"value"\s*:\s*\[/.exec(text);
      if (valueArray === null) {
        yield rejectedRecord(path, 1, `invalid JSON: ${jsonErrorMessage(error)}`, { line: 1 });
        return;
      }
      arrayOpen = valueArray.index + valueArray[0].length - 1;
    }
    if (arrayOpen < 0) {
      const line = lineAt(text, first, { index: 0, line: 1 });
      for (const element of itemsOf(parsed))
        yield graphItemToRecord(element, { file: path, record: ++record, line }, owner);
      return;
    }
  }
  const lines = { index: 0, line: 1 };
  let from = arrayOpen;
  resplit: for (;;) {
    for (const [start, end] of splitJsonArray(text, from)) {
      const line = lineAt(text, start, lines);
      let element: unknown;
      try {
        element = JSON.parse(text.slice(start, end));
      } catch (error) {
        yield rejectedRecord(
          path,
          ++record,
          `element at line ${line}: invalid JSON: ${jsonErrorMessage(error)}`,
          { line },
        );
        // Unbalanced brackets swallow the following elements; resume at the next line that opens
        // an object at this element's indentation (how exporters pretty-print arrays).
        const indent = text.slice(text.lastIndexOf("\n", start) + 1, start);
        const resume = /^[ \t]*$/.test(indent) ? text.indexOf(`\n${indent}{`, start + 1) : -1;
        if (resume >= 0 && resume < end) {
          from = resume;
          continue resplit;
        }
        continue;
      }
      yield graphItemToRecord(element, { file: path, record: ++record, line }, owner);
    }
    return;
  }
}

/** NDJSON when the first line alone is a complete JSON object (pretty-printed documents are not). */
export function looksLikeNdjson(head: Buffer): boolean {
  const text = stripBom(head.toString("utf8"));
  const newline = text.indexOf("\n");
  const firstLine = (newline < 0 ? text : text.slice(0, newline)).trim();
  if (!firstLine.startsWith("{")) return false;
  try {
    JSON.parse(firstLine);
    return true;
  } catch {
    // A first line too long for the head, or broken: NDJSON if a second line starts an object too.
    return newline < 0
      ? head.length >= 64 * 1024 && !/\n/.test(text)
      : /^\s*\{/.test(text.slice(newline + 1));
  }
}

/**
 * Graph records in batches (one per few MB of input): the fast way for bulk consumers such as the
 * backfill. NDJSON of `parallelThresholdBytes` or more goes to worker threads unless
 * `options.workers` is 0 or 1.
 */
export async function* readGraphBatches(
  path: string,
  options: SourceReadOptions = {},
): AsyncGenerator<SourceRecord[]> {
  const owner = options.owner ?? null;
  const head = await readHead(path);
  if (!looksLikeNdjson(head)) {
    const records: SourceRecord[] = [];
    for await (const record of readGraphDocument(path, owner)) records.push(record);
    yield records;
    return;
  }
  const { size } = await stat(path);
  const workers = options.workers ?? defaultWorkers(size);
  if (workers > 1) yield* readGraphParallel(path, { workers, owner });
  else yield* scanNdjsonRange(path, 0, size, 1, owner);
}

export function readGraph(path: string, options: SourceReadOptions = {}): AsyncIterable<SourceRecord> {
  return flattenBatches(() => readGraphBatches(path, options));
}

export const graphSource: MailSource = {
  format: "graph",
  detect: (path, head, isDir) => {
    if (isDir) return false;
    const text = stripBom(head.toString("utf8", 0, Math.min(head.length, 8192))).trimStart();
    if (!text.startsWith("{") && !text.startsWith("[")) return false;
    return /"(@odata\.(context|type)|internetMessageId|sentDateTime|toRecipients|iCalUId|attendees|organizer|value)"\s*:/.test(
      text,
    );
  },
  read: readGraph,
};
