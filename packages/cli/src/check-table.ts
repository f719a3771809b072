import { type CheckReport, daysLeft } from '@entra-ingest/workflows';
import { renderTable } from './text-table';

/** Problems a check found: the token and every source that is not OK. */
export function checkProblems(report: CheckReport): number {
  return [report.token, ...report.sources].filter((c) => !c.ok).length;
}

/** The onboarding check as a table: one row per check, the exact problem, and the fix on the row below it. */
export function checkTable(report: CheckReport, nowMs: number): string {
  const rows: string[][] = [];
  for (const c of [report.token, ...report.sources]) {
    rows.push([c.source, c.ok ? 'OK' : 'FAIL', c.detail]);
    if (c.fix) rows.push(['', '', `fix: ${c.fix}`]);
  }
  const problems = checkProblems(report);
  const lines = [
    problems === 0 ? `feed ${report.feed}: ready to ingest\n` : `feed ${report.feed}: cannot be ingested yet (${problems} problem${problems === 1 ? '' : 's'})\n`,
    renderTable(['CHECK', 'RESULT', 'DETAIL'], rows),
  ];
  if (report.clockSkewSeconds !== undefined) lines.push(`clock skew against Graph: ${report.clockSkewSeconds}s\n`);
  for (const c of report.credentials ?? []) {
    const d = daysLeft(Date.parse(c.endDateTime), nowMs);
    lines.push(`${c.kind === 'password' ? 'client secret' : 'certificate'} "${c.displayName}" (${c.keyId}) ${d >= 0 ? `expires in ${d} day(s)` : `EXPIRED ${-d} day(s) ago`}, ${c.endDateTime}\n`);
  }
  return lines.join('');
}
