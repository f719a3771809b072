import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The worker's own Prometheus metrics (Temporal's runtime metrics are served by the SDK's own exporter on the next
 * port). Freshness is exported as timestamps, not ages: an age computed when something is delivered stays flat when
 * nothing is, so alerts use `time() - timestamp`, which keeps growing while ingestion stalls.
 */
export class IngestMetrics {
  readonly registry = new Registry();
  private readonly registers = [this.registry];
  readonly fetched = new Counter({ name: 'entra_ingest_records_fetched_total', help: 'Graph records fetched', labelNames: ['feed', 'source'], registers: this.registers });
  readonly delivered = new Counter({ name: 'entra_ingest_events_delivered_total', help: 'OCSF events delivered to every sink', labelNames: ['feed', 'source', 'class_name'], registers: this.registers });
  readonly late = new Counter({ name: 'entra_ingest_events_late_total', help: 'Events delivered by a late sweep', labelNames: ['feed', 'source'], registers: this.registers });
  readonly duplicates = new Counter({ name: 'entra_ingest_duplicates_skipped_total', help: 'Records skipped because they were delivered already', labelNames: ['feed', 'source'], registers: this.registers });
  readonly deadLetters = new Counter({ name: 'entra_ingest_dead_letters_total', help: 'Records written to dead letters', labelNames: ['feed', 'source'], registers: this.registers });
  readonly sinkFailures = new Counter({
    name: 'entra_ingest_sink_failures_total',
    help: 'Batches a sink failed to take (retryable: Temporal retries the delivery; rejected: the window is blocked)',
    labelNames: ['feed', 'sink', 'kind'],
    registers: this.registers,
  });
  readonly graphRequests = new Counter({
    name: 'entra_ingest_graph_requests_total',
    help: 'HTTP exchanges with Microsoft Graph by status code (0: no answer, e.g. a reset or timeout)',
    labelNames: ['feed', 'resource', 'status'],
    registers: this.registers,
  });
  readonly graphLatency = new Histogram({
    name: 'entra_ingest_graph_request_duration_seconds',
    help: 'Time from sending a Graph request to reading its whole body',
    labelNames: ['feed', 'resource'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: this.registers,
  });
  readonly windowEnd = new Gauge({
    name: 'entra_ingest_delivered_window_end_timestamp_seconds',
    help: 'End of the newest window delivered, Unix seconds (alert on time() - this)',
    labelNames: ['feed', 'source'],
    registers: this.registers,
  });
  readonly recordTime = new Gauge({
    name: 'entra_ingest_newest_record_timestamp_seconds',
    help: 'Time of the newest record delivered, Unix seconds (alert on time() - this)',
    labelNames: ['feed', 'source'],
    registers: this.registers,
  });
  private readonly newestWindowEnd = new Map<string, { feed: string; source: string; ms: number }>();
  private readonly newestRecord = new Map<string, number>();

  constructor(defaultMetrics = false, private readonly now: () => number = Date.now) {
    const ends = this.newestWindowEnd;
    const clock = this.now;
    // Kept for dashboards that use it; computed at scrape time, so it grows while nothing is delivered.
    new Gauge({
      name: 'entra_ingest_lag_seconds',
      help: 'Seconds between the end of the newest delivered window and now (at scrape time)',
      labelNames: ['feed', 'source'],
      registers: this.registers,
      collect() {
        for (const e of ends.values()) this.set({ feed: e.feed, source: e.source }, Math.max(0, (clock() - e.ms) / 1000));
      },
    });
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** A window (or sweep) was delivered: its end and its newest record's time move the freshness timestamps forward. */
  observeDelivery(feed: string, source: string, windowEnd: string, newestRecordMs?: number): void {
    const key = `${feed}\u0000${source}`;
    const end = Math.max(Date.parse(windowEnd), this.newestWindowEnd.get(key)?.ms ?? 0);
    this.newestWindowEnd.set(key, { feed, source, ms: end });
    this.windowEnd.set({ feed, source }, end / 1000);
    if (newestRecordMs !== undefined && newestRecordMs > (this.newestRecord.get(key) ?? 0)) {
      this.newestRecord.set(key, newestRecordMs);
      this.recordTime.set({ feed, source }, newestRecordMs / 1000);
    }
  }

  /** One Graph HTTP exchange (from the Graph client's `response` events). */
  observeGraphResponse(feed: string, resource: string, status: number, durationMs: number): void {
    this.graphRequests.inc({ feed, resource, status: String(status) });
    this.graphLatency.observe({ feed, resource }, durationMs / 1000);
  }

  /** Serves /metrics on the port (0 = any free port); resolves with the bound port. Loopback unless told. */
  serve(port: number, host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const addr = server.address();
        resolve({
          port: typeof addr === 'object' && addr ? addr.port : port,
          close: () => new Promise<void>((r) => server.close(() => r())),
        });
      });
    });
  }
}
