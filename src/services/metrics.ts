import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Process-wide Prometheus metrics, served at `/metrics`. One registry per process, created on first
 * import, so every layer increments the same series: the HTTP edge times requests, the worker sets
 * queue depth, and the ingest code increments `kithMetrics.ingest*` by name.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: "kith_" });

export const kithMetrics = {
  httpRequestDuration: new Histogram({
    name: "kith_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metricsRegistry],
  }),
  jobQueueDepth: new Gauge({
    name: "kith_job_queue_depth",
    help: "Jobs in the durable queue by status",
    labelNames: ["status"] as const,
    registers: [metricsRegistry],
  }),
  jobsFinished: new Counter({
    name: "kith_jobs_finished_total",
    help: "Jobs finished by this process, by name and outcome (done, retry, failed)",
    labelNames: ["name", "outcome"] as const,
    registers: [metricsRegistry],
  }),
  /** For the ingest pipeline: interactions read from sources, by source kind. */
  ingestRecordsRead: new Counter({
    name: "kith_ingest_records_read_total",
    help: "Records read from sources by the ingest pipeline",
    labelNames: ["source"] as const,
    registers: [metricsRegistry],
  }),
  /** For the ingest pipeline: interactions stored (after dedupe, filters and the collection gate). */
  ingestInteractionsStored: new Counter({
    name: "kith_ingest_interactions_stored_total",
    help: "Interactions stored by the ingest pipeline",
    labelNames: ["source"] as const,
    registers: [metricsRegistry],
  }),
  /** For the ingest pipeline: records skipped, by reason (duplicate, noise, gate rule). */
  ingestRecordsSkipped: new Counter({
    name: "kith_ingest_records_skipped_total",
    help: "Records the ingest pipeline skipped, by reason",
    labelNames: ["reason"] as const,
    registers: [metricsRegistry],
  }),
  syncLagSeconds: new Gauge({
    name: "kith_sync_lag_seconds",
    help: "Seconds since the last successful live sync, per tenant",
    labelNames: ["tenant"] as const,
    registers: [metricsRegistry],
  }),
};
