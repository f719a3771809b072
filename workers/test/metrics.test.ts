import { IngestMetrics } from '../src/metrics';

const value = async (m: IngestMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> => {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const found = (metric?.values as { value: number; labels: Record<string, string | number> }[] | undefined)?.find((v) =>
    Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return found?.value;
};

describe('freshness metrics', () => {
  test('window end and newest record time are timestamps that only move forward', async () => {
    const m = new IngestMetrics(false, () => Date.parse('2026-11-01T13:00:00Z'));
    m.observeDelivery('contoso', 'signIns', '2026-11-01T12:00:00Z', Date.parse('2026-11-01T11:59:30Z'));
    m.observeDelivery('contoso', 'signIns', '2026-11-01T11:00:00Z', Date.parse('2026-11-01T10:00:00Z')); // a late sweep of an older window
    const at = { feed: 'contoso', source: 'signIns' };
    expect(await value(m, 'entra_ingest_delivered_window_end_timestamp_seconds', at)).toBe(Date.parse('2026-11-01T12:00:00Z') / 1000);
    expect(await value(m, 'entra_ingest_newest_record_timestamp_seconds', at)).toBe(Date.parse('2026-11-01T11:59:30Z') / 1000);
  });

  test('lag is computed at scrape time, so it grows while nothing is delivered', async () => {
    let now = Date.parse('2026-11-01T12:05:00Z');
    const m = new IngestMetrics(false, () => now);
    m.observeDelivery('contoso', 'directoryAudits', '2026-11-01T12:00:00Z');
    expect(await value(m, 'entra_ingest_lag_seconds', { feed: 'contoso', source: 'directoryAudits' })).toBe(300);
    now += 3_600_000; // an hour of stall: no delivery
    expect(await value(m, 'entra_ingest_lag_seconds', { feed: 'contoso', source: 'directoryAudits' })).toBe(3900);
  });

  test('Graph responses are counted by status and timed; served on loopback', async () => {
    const m = new IngestMetrics();
    m.observeGraphResponse('contoso', 'signIns', 429, 12);
    m.observeGraphResponse('contoso', 'signIns', 200, 480);
    m.observeGraphResponse('contoso', 'signIns', 200, 520);
    m.sinkFailures.inc({ feed: 'contoso', sink: 'siem', kind: 'retryable' });
    expect(await value(m, 'entra_ingest_graph_requests_total', { status: '429' })).toBe(1);
    expect(await value(m, 'entra_ingest_graph_requests_total', { status: '200' })).toBe(2);
    const served = await m.serve(0);
    try {
      const text = await (await fetch(`http://127.0.0.1:${served.port}/metrics`)).text();
      expect(text).toContain('entra_ingest_graph_request_duration_seconds_count{feed="contoso",resource="signIns"} 3');
      expect(text).toContain('entra_ingest_graph_request_duration_seconds_bucket{le="0.5",feed="contoso",resource="signIns"} 2');
      expect(text).toContain('entra_ingest_sink_failures_total{feed="contoso",sink="siem",kind="retryable"} 1');
    } finally {
      await served.close();
    }
  });
});
