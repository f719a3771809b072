import {
  condition, continueAsNew, defineQuery, defineSignal, defineUpdate, isCancellation, setCurrentDetails, setHandler,
  upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { ExpiryCredential, ExpiryReadResult } from './activity-types';
import { adminActivities, failureMessage } from './activity-proxies';
import { DAY_MS, daysLeft, planReminders } from './reminders';
import { SA } from './search-attributes';


/** How soon a reminder whose notifier failed (after the activity's own retries) is tried again. */
const SEND_RETRY_MS = 15 * 60_000;

export interface CredentialExpiryInput {
  feed: string;
  /** Days before expiry to remind at; then daily once expired. */
  reminderDays?: number[];
  /** How often the app's credentials are re-read even without a signal (catches rotations done elsewhere). */
  recheckEveryMs?: number;
  /** Reminders already sent, `<keyId>@<daysLeft>`, carried over continue-as-new. */
  sent?: string[];
}

export interface CredentialExpiryStatus {
  feed: string;
  credentials: (ExpiryCredential & { daysLeft: number })[];
  nextReminderAt?: string;
  source?: ExpiryReadResult['source'];
  note?: string;
  remindersSent: number;
}

export const credentialStatusQuery = defineQuery<CredentialExpiryStatus>('status');
export const credentialRotatedSignal = defineSignal('credentialRotated');
export const credentialRotatedUpdate = defineUpdate<CredentialExpiryStatus>('credentialRotated');

/**
 * Watches a feed's client secrets and certificates and reminds before they expire (default 30, 14, 7, 3 and 1 days
 * before, then daily once expired) through the configured notifiers. The earliest expiry is a search attribute so
 * `temporal workflow list --query 'EntraCredentialExpiry < "…"'` shows which feeds expire when.
 */
export async function credentialExpiry(input: CredentialExpiryInput): Promise<void> {
  const reminderDays = input.reminderDays ?? [30, 14, 7, 3, 1];
  const recheckEveryMs = input.recheckEveryMs ?? DAY_MS;
  const sent = new Set(input.sent ?? []);
  let read: ExpiryReadResult | undefined;
  let rotated = false;
  let nextAt: number | undefined;

  const status = (): CredentialExpiryStatus => ({
    feed: input.feed,
    credentials: (read?.credentials ?? []).map((c) => ({ ...c, daysLeft: daysLeft(Date.parse(c.endDateTime), Date.now()) })),
    nextReminderAt: nextAt !== undefined ? new Date(nextAt).toISOString() : undefined,
    source: read?.source,
    note: read?.note,
    remindersSent: sent.size,
  });
  setHandler(credentialStatusQuery, status);
  setHandler(credentialRotatedSignal, () => {
    rotated = true;
  });
  setHandler(credentialRotatedUpdate, async () => {
    rotated = true;
    await condition(() => !rotated);
    return status();
  });

  for (let iteration = 0; ; iteration++) {
    try {
      read = await adminActivities.readCredentialExpiry(input.feed);
    } catch (err) {
      if (isCancellation(err)) throw err;
      setCurrentDetails(`cannot read credentials: ${(err as Error).message}`);
      await condition(() => rotated, recheckEveryMs);
      rotated = false;
      continue;
    }
    rotated = false;
    const now = Date.now();
    const live = read.credentials.filter((c) => !Number.isNaN(Date.parse(c.endDateTime)));
    const earliest = live.map((c) => Date.parse(c.endDateTime)).sort((a, b) => a - b)[0];
    if (earliest !== undefined) upsertSearchAttributes([{ key: SA.credentialExpiry, value: new Date(earliest) }]);
    // A rotated credential has a new keyId; reminders of credentials that are gone are forgotten.
    for (const key of [...sent]) if (!live.some((c) => key.startsWith(`${c.keyId}@`))) sent.delete(key);
    const plan = planReminders(live, reminderDays, sent, now);
    nextAt = plan.nextAt;
    // A notifier that stays down must not end the watch: the reminder is not marked sent and is tried again soon.
    let sendFailure: string | undefined;
    for (const { credential, markers } of plan.due) {
      try {
        await adminActivities.sendReminder({ feed: input.feed, credential, daysLeft: daysLeft(Date.parse(credential.endDateTime), now) });
        for (const m of markers) sent.add(m);
      } catch (err) {
        if (isCancellation(err)) throw err;
        sendFailure = failureMessage(err);
      }
    }
    const s = status();
    upsertMemo({ credentials: s.credentials.map((c) => ({ name: c.displayName, keyId: c.keyId, endDateTime: c.endDateTime, daysLeft: c.daysLeft })) });
    setCurrentDetails(
      s.credentials.map((c) => `${c.kind} "${c.displayName}" ${c.daysLeft >= 0 ? `expires in ${c.daysLeft} days` : `EXPIRED ${-c.daysLeft} days ago`}`).join('; ') +
        (s.nextReminderAt ? `; next reminder ${s.nextReminderAt}` : '') +
        (sendFailure ? `; a reminder could not be sent (${sendFailure}), trying again in 15 minutes` : ''),
    );
    const wait = Math.min(recheckEveryMs, nextAt !== undefined ? nextAt - Date.now() : recheckEveryMs, sendFailure ? SEND_RETRY_MS : Infinity);
    await condition(() => rotated, Math.max(1000, wait));
    if (iteration >= 100 || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof credentialExpiry>({ ...input, sent: [...sent] });
    }
  }
}
