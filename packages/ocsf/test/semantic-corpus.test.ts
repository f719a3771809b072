import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildAudit } from '../../graph-simulator/src/audits';
import { buildSignIn } from '../../graph-simulator/src/signins';
import { TenantModel } from '../../graph-simulator/src/tenant-model';
import {
  createSemanticChecker, describeFinding, MAPPERS, mapRecord, parseRecords, SEMANTIC_ALLOW_LIST, serializeEvent, unexplained,
  type EntraSource, type SemanticFinding,
} from '../src';
import { FIXTURES, validator } from './helpers';
import { simulatedNewSourceRecords } from './simulated-records';

/**
 * The mapping corpus under the OCSF-semantics check: Microsoft's documented records of every source of the registry
 * (the Graph fixtures), the audit corpus (one record per published audit activity), the hand-written sign-in
 * variants, and what the Graph simulator serves (audits over its catalog, sign-ins, every version of its
 * provisioning and Identity Protection records, its devices). Every event must be schema-valid and carry no semantic
 * warning outside the reviewed allow-list, and every allow-list entry must still be needed.
 */
const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', observedTime: 1_772_496_000_000 };

/** A fixture's source from its name ("riskyUsers-beta-list-example.json"); files of no source are skipped. */
function sourceOf(file: string): EntraSource | undefined {
  const prefix = file.split('-')[0]!;
  const name = prefix === 'directoryAudit' ? 'directoryAudits' : prefix;
  return name in MAPPERS ? (name as EntraSource) : undefined;
}

function corpus(): Array<{ where: string; source: EntraSource; record: unknown }> {
  const out: Array<{ where: string; source: EntraSource; record: unknown }> = [];
  for (const dir of ['graph', 'corpus']) {
    for (const file of fs.readdirSync(path.join(FIXTURES, dir)).sort()) {
      const source = sourceOf(file);
      if (!source) continue;
      parseRecords(fs.readFileSync(path.join(FIXTURES, dir, file), 'utf8')).forEach((record, i) => {
        out.push({ where: `${dir}/${file}#${i}`, source, record });
      });
    }
  }
  const audits = path.join(__dirname, 'corpus', 'directory-audits.json');
  parseRecords(fs.readFileSync(audits, 'utf8')).forEach((record, i) => {
    out.push({ where: `corpus/directory-audits.json#${i}`, source: 'directoryAudits', record });
  });
  const tenant = new TenantModel(7, { tenantId: ctx.tenantId, premium: true, clients: [], users: 40 });
  for (let i = 0; i < 600; i++) {
    const e = { bucket: 0, index: i, ticks: 2_000_000_000_000_000 + i * 1_000_000_000, visibleTicks: 0, hash: Math.imul(i + 1, 2654435761) >>> 0 };
    out.push({ where: `simulator audit ${i}`, source: 'directoryAudits', record: buildAudit(e, tenant) });
    out.push({ where: `simulator sign-in ${i}`, source: 'signIns', record: buildSignIn(e, tenant) });
  }
  out.push(...simulatedNewSourceRecords(ctx.tenantId));
  return out;
}


test('the mapping corpus: schema-valid, no semantic finding outside the allow-list, no stale allow-list entry', () => {
  const checker = createSemanticChecker();
  const problems: string[] = [];
  const used = new Set<string>();
  let events = 0;
  let allowed = 0;
  const perSource = new Map<string, number>();
  for (const { where, source, record } of corpus()) {
    let e;
    try {
      e = mapRecord(source, record, ctx);
    } catch {
      continue; // records no event can be made of are the bad-input tests' subject
    }
    events++;
    perSource.set(source, (perSource.get(source) ?? 0) + 1);
    const result = validator().validate(e);
    if (!result.valid) problems.push(`${where}: invalid: ${result.errors.join('; ')}`);
    const findings: SemanticFinding[] = checker.check(e);
    for (const f of unexplained(findings)) problems.push(`${where} (${e.class_uid}/${e.activity_id}): ${describeFinding(f)}`);
    for (const f of findings) {
      if (f.allowed === undefined) continue;
      allowed++;
      used.add(`${e.class_uid} ${f.code} ${f.path.replace(/\[\d+\]/g, '')}`);
    }
  }
  const stale = SEMANTIC_ALLOW_LIST.filter((a) => !used.has(`${a.classUid} ${a.code} ${a.path}`));
  expect(events).toBeGreaterThan(2000);
  expect(problems).toEqual([]);
  expect(stale).toEqual([]);
  // The figures, for the record: events checked, allow-listed findings (each a reviewed absence in Graph's data).
  process.stdout.write(
    `semantic corpus: ${events} events (${[...perSource].map(([s, n]) => `${s} ${n}`).join(', ')}), 0 unexplained findings, ${allowed} allow-listed\n`,
  );
});

test('the corpus maps to the same bytes twice', () => {
  for (const { source, record } of corpus()) {
    let first: string;
    try {
      first = serializeEvent(mapRecord(source, record, ctx));
    } catch {
      continue;
    }
    expect(serializeEvent(mapRecord(source, JSON.parse(JSON.stringify(record)), ctx))).toBe(first);
  }
});

test('control: on the newer sources the check still sees what the mappers used to get wrong', () => {
  const checker = createSemanticChecker();
  const risk = corpus().find((x) => x.source === 'riskyUsers')!;
  const e = mapRecord('riskyUsers', risk.record, ctx);
  expect(unexplained(checker.check(e))).toEqual([]);
  const indexed = { ...e, observables: e.observables!.map((o) => ({ ...o, name: o.name.replace('resources.', 'resources[0].') })) };
  expect(unexplained(checker.check(indexed)).map((f) => f.code)).toContain('observable_name_invalid_reference');
  const { is_alert: _, ...noAlert } = e;
  expect(unexplained(checker.check(noAlert)).map((f) => f.path)).toEqual(['is_alert']);
  const device = mapRecord('devices', corpus().find((x) => x.source === 'devices')!.record, ctx);
  const { timezone_offset: __, ...noOffset } = device;
  expect(unexplained(checker.check(noOffset)).map((f) => f.path)).toEqual(['timezone_offset']);
});
