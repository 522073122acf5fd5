/**
 * Worker thread that reads RFC 5322 files (mbox, maildir, .eml) ahead of the main thread
 * (mail-read-ahead.ts): once told the files of a batch, it reads them in that order, posting
 * record batches and an end marker per file, and waits for acknowledgements so at most
 * `maxInFlight` batches are queued.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SourceRecord } from "../../domain/interaction";
import { encodeBatch, type EncodedBatch } from "./record-batch";
import { emlSource, maildirSource, mboxSource } from "./rfc5322";
import type { MailSource, SourceReadOptions } from "./source";

export type MailJobFormat = "mbox" | "maildir" | "eml";

export interface MailJob {
  path: string;
  format: MailJobFormat;
  options: SourceReadOptions;
}

export interface MailWorkerInput {
  maxInFlight: number;
  recordsPerBatch: number;
}

export type MailWorkerRequest = { kind: "jobs"; jobs: MailJob[] } | { kind: "ack" };

export type MailWorkerMessage =
  | { kind: "batch"; job: number; batch: EncodedBatch }
  | { kind: "end"; job: number }
  | { kind: "error"; job: number; message: string };

const readers: Record<MailJobFormat, MailSource> = {
  mbox: mboxSource,
  maildir: maildirSource,
  eml: emlSource,
};

const input = workerData as MailWorkerInput;
const port = parentPort!;

let credits = input.maxInFlight;
let waiting: (() => void) | null = null;
port.on("message", (message: MailWorkerRequest) => {
  if (message.kind === "jobs") {
    void run(message.jobs);
    return;
  }
  credits++;
  waiting?.();
  waiting = null;
});

async function send(job: number, records: SourceRecord[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (waiting = resolve));
  credits--;
  const message: MailWorkerMessage = { kind: "batch", job, batch: encodeBatch(records) };
  port.postMessage(message);
}

async function run(jobs: MailJob[]): Promise<void> {
  for (const [job, { path, format, options }] of jobs.entries()) {
    try {
      let records: SourceRecord[] = [];
      for await (const record of readers[format].read(path, options)) {
        records.push(record);
        if (records.length >= input.recordsPerBatch) {
          await send(job, records);
          records = [];
        }
      }
      if (records.length > 0) await send(job, records);
    } catch (error) {
      const message: MailWorkerMessage = {
        kind: "error",
        job,
        message: error instanceof Error ? error.message : String(error),
      };
      port.postMessage(message);
      return;
    }
    const end: MailWorkerMessage = { kind: "end", job };
    port.postMessage(end);
  }
}
