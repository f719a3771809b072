import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildAudit } from '../../graph-simulator/src/audits';
import { buildSignIn } from '../../graph-simulator/src/signins';
import { TenantModel } from '../../graph-simulator/src/tenant-model';
import { MAPPERS, mapRecord, parseRecords, serializeEvent, type EntraSource, type MapContext } from '../src';
import { FIXTURES } from './helpers';
import { simulatedNewSourceRecords } from './simulated-records';

/**
 * The mappers' exact output, pinned by a digest: performance work on the mappers and the serializer must leave every
 * byte of every event as it was. Inputs: every Graph fixture of every source, the audit corpus (one record per
 * published activity, with messy variants), the sign-in variants, and records from the simulator's generators (the
 * bench's own source; devices, provisioning and Identity Protection too) — each mapped with a tenant context, without a tenant, and with raw_data. A record no event can be
 * made of contributes its error message, so the failure path is pinned too.
 *
 * When the output changes ON PURPOSE (a mapping fix), print the new digest with GOLDEN_PRINT=1 and commit it with
 * the change that explains it.
 */
const GOLDEN = {
  records: 17268,
  sha256: '4c34b633f345d7f065cb01407cc318939e5931cb8a6da17be5170d754fbec572',
};

const CONTEXTS: MapContext[] = [
  { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', observedTime: 1_772_496_000_000 },
  { observedTime: 1_772_496_000_001 }, // no tenant (inventories read the clock without observedTime: not pinnable)
  { tenantId: 'b0c3f4a5-1111-4222-8333-944455556666', observedTime: 1_772_496_123_456, includeRawData: true, logName: 'lake' },
];

function sourceOf(file: string): EntraSource | undefined {
  const prefix = file.split('-')[0]!;
  const name = prefix === 'directoryAudit' ? 'directoryAudits' : prefix;
  return name in MAPPERS ? (name as EntraSource) : undefined;
}

function goldenInputs(): Array<{ source: EntraSource; record: unknown }> {
  const out: Array<{ source: EntraSource; record: unknown }> = [];
  for (const dir of ['graph', 'corpus']) {
    for (const file of fs.readdirSync(path.join(FIXTURES, dir)).sort()) {
      const source = sourceOf(file);
      if (!source) continue;
      for (const record of parseRecords(fs.readFileSync(path.join(FIXTURES, dir, file), 'utf8'))) out.push({ source, record });
    }
  }
  for (const record of parseRecords(fs.readFileSync(path.join(__dirname, 'corpus', 'directory-audits.json'), 'utf8'))) {
    out.push({ source: 'directoryAudits', record });
  }
  const tenant = new TenantModel(11, { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', premium: true, clients: [], users: 300 });
  for (let i = 0; i < 1500; i++) {
    const e = { bucket: 0, index: i, ticks: 2_000_000_000_000_000 + i * 997_000_000, visibleTicks: 0, hash: Math.imul(i + 7, 2654435761) >>> 0 };
    out.push({ source: 'directoryAudits', record: buildAudit(e, tenant) });
    out.push({ source: 'signIns', record: buildSignIn(e, tenant) });
  }
  // Users as users/delta serves them (the simulator's default properties and a few selected ones), and tombstones.
  tenant.users.forEach((u, i) => {
    const { index: _index, ...fields } = u;
    out.push({ source: 'users', record: i % 3 === 0 ? { ...fields, accountEnabled: i % 2 === 0, department: u.department } : fields });
    if (i % 50 === 0) out.push({ source: 'users', record: { id: u.id, '@removed': { reason: i % 100 === 0 ? 'deleted' : 'changed' } } });
  });
  // Devices, and every version of the provisioning and Identity Protection records over a simulated day.
  for (const { source, record } of simulatedNewSourceRecords('72f988bf-86f1-41af-91ab-2d7cd011db47')) out.push({ source, record });
  return out;
}

function digestOf(inputs: Array<{ source: EntraSource; record: unknown }>): { records: number; sha256: string } {
  const h = crypto.createHash('sha256');
  let records = 0;
  for (const ctx of CONTEXTS) {
    for (const { source, record } of inputs) {
      let line: string;
      try {
        line = serializeEvent(mapRecord(source, record, ctx));
      } catch (err) {
        line = `error: ${(err as Error).message}`;
      }
      h.update(line).update('\n');
      records++;
    }
  }
  return { records, sha256: h.digest('hex') };
}

test('the mappers give byte-for-byte the pinned output', () => {
  const got = digestOf(goldenInputs());
  if (process.env.GOLDEN_PRINT) process.stdout.write(`golden output: ${JSON.stringify(got)}\n`);
  expect(got).toEqual(GOLDEN);
});

test('control: the digest sees a one-byte change in one event', () => {
  const inputs = goldenInputs().slice(0, 200);
  const before = digestOf(inputs);
  const changed = inputs.map((x, i) => (i === 150 ? { ...x, record: { ...(x.record as object), displayName: 'Changed!' } } : x));
  expect(digestOf(changed).sha256).not.toBe(before.sha256);
});
