import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOC_BEGIN, DOC_END, renderAuditClassificationDoc, spliceMappingDoc } from '../src/mapping-doc';

const DOC = path.join(__dirname, '..', '..', '..', 'docs', 'mapping.md');

describe('docs/mapping.md is generated from the classification tables', () => {
  test('its generated section equals what the tables render (fix: pnpm -s build && pnpm -s docs:mapping)', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    expect(spliceMappingDoc(doc, renderAuditClassificationDoc())).toBe(doc);
  });

  test('control: a doc whose section differs from the tables is caught', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    const drifted = doc.replace('| Add user | account |', '| Add user | entity |');
    expect(drifted).not.toBe(doc);
    expect(spliceMappingDoc(drifted, renderAuditClassificationDoc())).not.toBe(drifted);
  });

  test('every exact-name row and every rule appears in the rendered section', () => {
    const rendered = renderAuditClassificationDoc();
    expect(rendered.startsWith(DOC_BEGIN) && rendered.endsWith(DOC_END)).toBe(true);
    expect(rendered).toContain('| Add member to group | groupMembership | Group Management (3006) | Add User (3) |');
    expect(rendered).toContain('| Reset password (by admin) | password | Account Change (3001) | Password Reset (4) |');
  });

  test('a doc without the markers is an error, not a silent no-op', () => {
    expect(() => spliceMappingDoc('# no markers', renderAuditClassificationDoc())).toThrow(/no ".*" … ".*" section/);
  });
});
