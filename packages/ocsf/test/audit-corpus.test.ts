import * as fs from 'node:fs';
import { mapRecord, type OcsfEvent } from '../src';
import { validator } from './helpers';

// The generator is plain Node (so it runs without a build); its corpus is the checked-in page beside it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('./corpus/generate-audits.js') as {
  generate(): { value: Record<string, unknown>[] };
  serialize(page: unknown): string;
  OUTPUT: string;
};

const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };
const records = (JSON.parse(fs.readFileSync(corpus.OUTPUT, 'utf8')) as { value: Record<string, unknown>[] }).value;

function mapAll(list: Record<string, unknown>[]): OcsfEvent[] {
  return list.map((r) => mapRecord('directoryAudits', r, ctx));
}

function invalid(events: OcsfEvent[]): string[] {
  const problems: string[] = [];
  for (const e of events) {
    const result = validator().validate(e);
    if (!result.valid) problems.push(`${String(e.message)}: ${result.errors.join('; ')}`);
  }
  return problems;
}

describe("Microsoft's published audit vocabulary (corpus of one record per activity)", () => {
  test('the checked-in corpus is what the generator makes from the reference', () => {
    expect(fs.readFileSync(corpus.OUTPUT, 'utf8')).toBe(corpus.serialize(corpus.generate()));
    expect(records.length).toBeGreaterThan(1100);
  });

  test('every record yields one schema-valid event', () => {
    const events = mapAll(records);
    expect(events).toHaveLength(records.length);
    expect(invalid(events)).toEqual([]);
  });

  describe('messier than the reference', () => {
    const variants: Array<[string, (r: Record<string, unknown>) => Record<string, unknown>]> = [
      ['`Type` instead of `type` in targetResources', (r) => ({
        ...r,
        targetResources: (r.targetResources as Record<string, unknown>[]).map(({ type, ...t }) => ({ ...t, Type: type })),
      })],
      ['no targetResources at all', (r) => ({ ...r, targetResources: [] })],
      ['targetResources null', (r) => ({ ...r, targetResources: null })],
      ['initiatedBy with null members', (r) => ({ ...r, initiatedBy: { user: null, app: null } })],
      ['initiatedBy missing', ({ initiatedBy: _, ...r }) => r],
      ['a category Graph adds later', (r) => ({ ...r, category: 'SomethingNewManagement' })],
    ];
    test.each(variants)('%s: one schema-valid event per record', (_name, vary) => {
      const events = mapAll(records.map(vary));
      expect(events).toHaveLength(records.length);
      expect(invalid(events)).toEqual([]);
    });

    test('`Type` vs `type` changes nothing but the raw copy in unmapped', () => {
      const strip = (e: OcsfEvent) => ({ ...e, unmapped: { ...e.unmapped, targetResources: undefined } });
      const upper = mapAll(records.map((r) => ({
        ...r,
        targetResources: (r.targetResources as Record<string, unknown>[]).map(({ type, ...t }) => ({ ...t, Type: type })),
      })));
      const lower = mapAll(records);
      expect(upper.map(strip)).toEqual(lower.map(strip));
    });
  });
});
