import { type CredentialExpiryStatus, daysLeft } from '@entra-ingest/workflows';
import { renderTable } from './text-table';

/** The status with days left counted from `nowMs` (a query answers with the workflow's last task time). */
export function freshStatus(status: CredentialExpiryStatus, nowMs: number): CredentialExpiryStatus {
  return { ...status, credentials: status.credentials.map((c) => ({ ...c, daysLeft: daysLeft(Date.parse(c.endDateTime), nowMs) })) };
}

function left(days: number): string {
  return days >= 0 ? String(days) : `EXPIRED ${-days} day(s) ago`;
}

/** A table of the feed's credentials, soonest expiry first, and where the dates came from. */
export function credentialTable(status: CredentialExpiryStatus): string {
  const rows = [...status.credentials]
    .sort((a, b) => Date.parse(a.endDateTime) - Date.parse(b.endDateTime))
    .map((c) => [c.displayName, c.keyId, c.kind === 'password' ? 'client secret' : 'certificate', c.endDateTime, left(c.daysLeft)]);
  const lines = [
    status.credentials.length
      ? renderTable(['NAME', 'KEY ID', 'KIND', 'ENDS', 'DAYS LEFT'], rows)
      : `feed ${status.feed}: the app registration has no client secrets or certificates\n`,
  ];
  if (status.source === 'config') lines.push(`(dates from the config's credentialExpiry.expiresAt: ${status.note ?? 'the app registration could not be read'})\n`);
  lines.push(status.nextReminderAt ? `next reminder: ${status.nextReminderAt}\n` : 'no reminder due\n');
  return lines.join('');
}
