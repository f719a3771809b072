// The chaos run's HTTP destination: it accepts each Idempotency-Key once (a repeat is answered 200 and ignored, as a
// well-behaved receiver would), records the OCSF record ids of what it accepted, can be told to fail with 503, and
// rejects for good (400) every batch holding one chosen record: the sink must isolate that event as a dead letter.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AcceptedEvent {
  source: string;
  /** The batch's window segment of the key: for users, the round; duplicates are counted per scope. */
  scope: string;
  id: string;
}

export interface IdempotentReceiver {
  url: string;
  /** Every event of every accepted batch, in arrival order (one entry per accepted copy). */
  accepted(): AcceptedEvent[];
  stats(): { batches: number; repeatsIgnored: number; failedOn503: number; badRequests: number; rejectedFor: number };
  /** While on, every request is answered 503 and nothing is recorded. */
  setFailing(on: boolean): void;
  /** Every batch holding this record id is answered 400 (a receiver refusing one event for good). */
  rejectRecord(id: string | undefined): void;
  /**
   * The n-th batch accepted from now on is recorded and then never answered, as if the sender died before the answer
   * reached it; resolves with its key and record ids.
   */
  holdBatch(n: number): Promise<{ key: string; ids: string[] }>;
  /** The Idempotency-Key of every request that carried one, repeats included, in arrival order. */
  keysReceived(): string[];
  close(): Promise<void>;
}

/** `<feed>/<source>/<window>/<class>/<hash of the record ids>`, as the HTTP sink builds it. */
function parseKey(key: string): { source: string; window: string } | undefined {
  const parts = key.split('/');
  return parts.length === 5 ? { source: parts[1]!, window: parts[2]! } : undefined;
}

export async function startReceiver(): Promise<IdempotentReceiver> {
  const seen = new Set<string>();
  const accepted: AcceptedEvent[] = [];
  const counts = { batches: 0, repeatsIgnored: 0, failedOn503: 0, badRequests: 0, rejectedFor: 0 };
  let failing = false;
  let rejected: string | undefined;
  let hold: { left: number; resolve: (batch: { key: string; ids: string[] }) => void } | undefined;
  const keysReceived: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failing) {
        counts.failedOn503++;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('receiver unavailable (chaos)');
        return;
      }
      const key = req.headers['idempotency-key'];
      const parsed = typeof key === 'string' ? parseKey(key) : undefined;
      if (!parsed) {
        counts.badRequests++;
        res.writeHead(400, { 'content-type': 'text/plain' }).end('missing or malformed Idempotency-Key');
        return;
      }
      keysReceived.push(key as string);
      if (seen.has(key as string)) {
        counts.repeatsIgnored++;
        res.writeHead(200).end();
        return;
      }
      let events: { id: string; time: string }[];
      try {
        events = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean)
          .map((line) => JSON.parse(line) as { metadata: { uid: string }; time: number })
          .map((e) => ({ id: e.metadata.uid, time: String(e.time) }));
      } catch (err) {
        counts.badRequests++;
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`not NDJSON of OCSF events: ${(err as Error).message}`);
        return;
      }
      if (rejected !== undefined && events.some((e) => e.id === rejected)) {
        counts.rejectedFor++;
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `event ${rejected} is not accepted here (chaos)` }));
        return;
      }
      seen.add(key as string);
      counts.batches++;
      for (const e of events) accepted.push({ source: parsed.source, scope: parsed.window, id: e.id });
      if (hold && --hold.left === 0) {
        hold.resolve({ key: key as string, ids: events.map((e) => e.id) });
        hold = undefined;
        return; // taken, never answered
      }
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`,
    accepted: () => accepted,
    stats: () => ({ ...counts }),
    setFailing: (on) => {
      failing = on;
    },
    rejectRecord: (id) => {
      rejected = id;
    },
    holdBatch: (n) => new Promise((resolve) => {
      hold = { left: n, resolve };
    }),
    keysReceived: () => [...keysReceived],
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
