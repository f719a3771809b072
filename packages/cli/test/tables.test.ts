import type { CheckReport, CredentialExpiryStatus } from '@entra-ingest/workflows';
import { checkProblems, checkTable } from '../src/check-table';
import { credentialTable, freshStatus } from '../src/credential-table';
import { renderTable } from '../src/text-table';

const DAY = 86_400_000;
const now = Date.parse('2026-11-20T12:00:00Z');

test('columns are aligned on the widest cell and the last one is not padded', () => {
  expect(renderTable(['A', 'BB', 'C'], [['long', 'x', 'end'], ['y', 'wide-ish', '']])).toBe(
    'A     BB        C\nlong  x         end\ny     wide-ish\n',
  );
});

test('the check table shows every problem with its fix on the next row', () => {
  const report: CheckReport = {
    feed: 'acme', ok: false,
    token: { source: 'token', ok: true, detail: 'token issued' },
    sources: [
      { source: 'directoryAudits', ok: true, detail: 'readable' },
      { source: 'signIns', ok: false, detail: 'license-missing: tenant has no Entra ID P1', fix: 'buy P1 or disable signIns' },
    ],
    clockSkewSeconds: 2,
    credentials: [{ kind: 'password', displayName: 'ingest', keyId: 'k1', endDateTime: new Date(now + 10 * DAY + 1000).toISOString() }],
  };
  const text = checkTable(report, now);
  expect(checkProblems(report)).toBe(1);
  const lines = text.split('\n');
  expect(lines[0]).toBe('feed acme: cannot be ingested yet (1 problem)');
  const failRow = lines.findIndex((l) => l.startsWith('signIns'));
  expect(lines[failRow]).toMatch(/^signIns\s+FAIL\s+license-missing: tenant has no Entra ID P1$/);
  expect(lines[failRow + 1]).toMatch(/^\s+fix: buy P1 or disable signIns$/);
  expect(text).toContain('client secret "ingest" (k1) expires in 10 day(s)');
});

test('the credential table lists soonest expiry first and days left from now', () => {
  const status: CredentialExpiryStatus = {
    feed: 'acme', source: 'graph', remindersSent: 1, nextReminderAt: '2026-11-23T12:00:00.000Z',
    credentials: [
      { kind: 'certificate', displayName: 'cert', keyId: 'c1', endDateTime: new Date(now + 400 * DAY).toISOString(), daysLeft: 0 },
      { kind: 'password', displayName: 'old secret', keyId: 's1', endDateTime: new Date(now - 2 * DAY - 1).toISOString(), daysLeft: 0 },
    ],
  };
  const fresh = freshStatus(status, now);
  expect(fresh.credentials.map((c) => c.daysLeft)).toEqual([400, -3]);
  const lines = credentialTable(fresh).split('\n');
  expect(lines[0]).toMatch(/^NAME\s+KEY ID\s+KIND\s+ENDS\s+DAYS LEFT$/);
  expect(lines[1]).toMatch(/^old secret\s+s1\s+client secret\s+\S+\s+EXPIRED 3 day\(s\) ago$/);
  expect(lines[2]).toMatch(/^cert\s+c1\s+certificate\s+\S+\s+400$/);
  expect(lines[3]).toBe('next reminder: 2026-11-23T12:00:00.000Z');
});
