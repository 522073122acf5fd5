/**
 * Worker thread of the Graph NDJSON parse pool (graph-parallel.ts). Parses one byte range of the
 * file and posts compact record batches, waiting for the main thread's acknowledgements so at most
 * `maxInFlight` batches are queued (memory stays bounded whatever the file size).
 */
import { open } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { encodeBatch, type EncodedBatch } from "./record-batch";
import { scanNdjsonRange } from "./graph-ndjson";

export interface WorkerInput {
  path: string;
  start: number;
  end: number;
  owner: string | null;
  maxInFlight: number;
}

export type WorkerMessage =
  { kind: "batch"; batch: EncodedBatch } | { kind: "done" } | { kind: "error"; message: string };

const input = workerData as WorkerInput;
const port = parentPort!;

/** Number of lines before `end`: the 1-based number of the line starting at `end`, minus one. */
async function countLines(path: string, end: number): Promise<number> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    let lines = 0;
    for (let offset = 0; offset < end;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - offset), offset);
      if (bytesRead === 0) break;
      for (let i = buffer.indexOf(10, 0); i >= 0 && i < bytesRead; i = buffer.indexOf(10, i + 1)) lines++;
      offset += bytesRead;
    }
    return lines;
  } finally {
    await handle.close();
  }
}

let credits = input.maxInFlight;
let waiting: (() => void) | null = null;
port.on("message", (message: "ack") => {
  if (message !== "ack") return;
  credits++;
  waiting?.();
  waiting = null;
});

async function run(): Promise<void> {
  const firstLine = input.start === 0 ? 1 : (await countLines(input.path, input.start)) + 1;
  for await (const records of scanNdjsonRange(input.path, input.start, input.end, firstLine, input.owner)) {
    while (credits === 0) await new Promise<void>((resolve) => (waiting = resolve));
    credits--;
    const message: WorkerMessage = { kind: "batch", batch: encodeBatch(records) };
    port.postMessage(message);
  }
  const done: WorkerMessage = { kind: "done" };
  port.postMessage(done);
}

run().catch((error: unknown) => {
  const message: WorkerMessage = {
    kind: "error",
    message: error instanceof Error ? error.message : String(error),
  };
  port.postMessage(message);
});
