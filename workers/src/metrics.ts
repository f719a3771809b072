import http from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The worker's own Prometheus metrics (Temporal's runtime metrics are served by the SDK's own exporter). */
export class IngestMetrics {
  readonly registry = new Registry();
  readonly fetched = new Counter({ name: 'entra_ingest_records_fetched_total', help: 'Graph records fetched', labelNames: ['feed', 'source'], registers: [this.registry] });
  readonly delivered = new Counter({ name: 'entra_ingest_events_delivered_total', help: 'OCSF events delivered to every sink', labelNames: ['feed', 'source', 'class_name'], registers: [this.registry] });
  readonly late = new Counter({ name: 'entra_ingest_events_late_total', help: 'Events delivered by a late sweep', labelNames: ['feed', 'source'], registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'entra_ingest_duplicates_skipped_total', help: 'Records skipped because they were delivered already', labelNames: ['feed', 'source'], registers: [this.registry] });
  readonly deadLetters = new Counter({ name: 'entra_ingest_dead_letters_total', help: 'Records written to dead letters', labelNames: ['feed', 'source'], registers: [this.registry] });
  readonly lag = new Gauge({ name: 'entra_ingest_lag_seconds', help: 'Seconds between the end of the newest delivered window and now', labelNames: ['feed', 'source'], registers: [this.registry] });
  private newestWindowEnd = new Map<string, number>();

  constructor(defaultMetrics = false) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  observeLag(feed: string, source: string, windowEnd: string): void {
    const key = `${feed}\u0000${source}`;
    const end = Math.max(Date.parse(windowEnd), this.newestWindowEnd.get(key) ?? 0);
    this.newestWindowEnd.set(key, end);
    this.lag.set({ feed, source }, Math.max(0, (Date.now() - end) / 1000));
  }

  /** Serves /metrics on the port (0 = any free port); resolves with the bound port. */
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
