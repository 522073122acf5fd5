/**
 * Reads the RFC 5322 files of a batch on a worker thread while the main thread gates and stores
 * what was read before (mail-worker.ts). Parsing is the larger half of a mail import's JavaScript
 * (Enron: ~1 s of parsing against ~1.3 s of storing, measured), so on two cores the two overlap.
 * The files are read in the order given; the consumer takes them in the same order, each through
 * `batches(job)`. Memory stays bounded: the worker waits once `maxInFlight` batches are queued.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { SourceRecord } from "../../domain/interaction";
import type { MailJob, MailWorkerInput, MailWorkerMessage, MailWorkerRequest } from "./mail-worker";
import { decodeBatch } from "./record-batch";
import { startWorker } from "./worker-thread";

export type { MailJob } from "./mail-worker";

/** Below this many bytes of mail files, starting the worker (~0.1 s) costs more than it saves. */
export const readAheadThresholdBytes = 8 * 1024 * 1024;

/** True when reading ahead on a worker pays: two cores or more and enough mail to read. */
export function readAheadPays(bytes: number, cores = availableParallelism()): boolean {
  return cores >= 2 && bytes >= readAheadThresholdBytes;
}

export class MailReadAhead {
  private readonly worker: Worker;
  private readonly queue: MailWorkerMessage[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private closed = false;

  /** Starts the worker; it reads nothing until `start` gives it the files. */
  constructor(options: { maxInFlight?: number; recordsPerBatch?: number } = {}) {
    const input: MailWorkerInput = {
      maxInFlight: options.maxInFlight ?? 4,
      recordsPerBatch: options.recordsPerBatch ?? 1000,
    };
    this.worker = startWorker("mail-worker", input);
    const notify = () => {
      this.wake?.();
      this.wake = null;
    };
    this.worker.on("message", (message: MailWorkerMessage) => {
      this.queue.push(message);
      notify();
    });
    this.worker.on("error", (error) => {
      this.failure ??= error;
      notify();
    });
    this.worker.on("exit", (code) => {
      if (!this.closed) this.failure ??= new Error(`mail read-ahead worker exited early with code ${code}`);
      notify();
    });
  }

  /** The files to read, in the order their batches will be taken. */
  start(jobs: readonly MailJob[]): void {
    const message: MailWorkerRequest = { kind: "jobs", jobs: [...jobs] };
    this.worker.postMessage(message);
  }

  /** The record batches of job `job` (its index in `start`); jobs must be taken in order, each to its end. */
  async *batches(job: number): AsyncGenerator<SourceRecord[]> {
    for (;;) {
      const message = this.queue.shift();
      if (message === undefined) {
        if (this.failure !== null) throw this.failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (message.job !== job)
        throw new Error(`read-ahead out of order: job ${message.job}, expected ${job}`);
      if (message.kind === "end") return;
      if (message.kind === "error") throw new Error(message.message);
      const ack: MailWorkerRequest = { kind: "ack" };
      this.worker.postMessage(ack);
      yield decodeBatch(message.batch);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}
