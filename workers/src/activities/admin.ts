import { describeRequirements } from '@entra-ingest/sources';
import { Context } from '@temporalio/activity';
import { request } from 'undici';
import { describeSecretRef, isHttpsOrLoopback, type Logger, type SecretRef } from '@entra-ingest/config';
import type { CheckReport, ExpiryCredential, ExpiryReadResult, ReminderInput, SourceCheck } from '@entra-ingest/workflows';
import type { FeedRegistry, FeedRuntime } from '../feeds';
import { toActivityFailure, unknownFeed } from '../failures';

interface GraphCredential {
  displayName?: string | null;
  keyId?: string;
  endDateTime?: string;
}

function asCredentials(kind: ExpiryCredential['kind'], list: unknown[]): ExpiryCredential[] {
  return (list as GraphCredential[])
    .filter((c) => typeof c?.endDateTime === 'string' && typeof c.keyId === 'string')
    .map((c) => ({ kind, displayName: c.displayName ?? (kind === 'password' ? 'client secret' : 'certificate'), keyId: c.keyId!, endDateTime: c.endDateTime! }));
}

async function readExpiry(feed: FeedRuntime, signal?: AbortSignal): Promise<ExpiryReadResult> {
  const configured = feed.config.credentialExpiry.expiresAt;
  try {
    const app = await feed.graph().getApplicationCredentials(feed.config.clientId, signal);
    return { source: 'graph', credentials: [...asCredentials('password', app.passwordCredentials), ...asCredentials('certificate', app.keyCredentials)] };
  } catch (err) {
    const kind = (err as { kind?: string }).kind;
    if (!configured || (kind !== 'permission-missing' && kind !== 'not-found')) throw err;
    return {
      source: 'config',
      credentials: [{ kind: 'clientSecret' in feed.config.credential ? 'password' : 'certificate', displayName: 'from config', keyId: 'config', endDateTime: configured }],
      note: `the app cannot read its own registration (${(err as Error).message}); using credentialExpiry.expiresAt from the config`,
    };
  }
}

/** The webhook URL from its reference; checked here because only the worker sees the value. */
function webhookUrl(feed: FeedRuntime, ref: SecretRef): string {
  let url: string;
  try {
    url = feed.secret(ref);
  } catch (err) {
    throw new Error(`reminder webhook of feed "${feed.id}": ${(err as Error).message}`);
  }
  let ok = false;
  try {
    ok = isHttpsOrLoopback(url);
  } catch {
    // not a URL at all: reported below without echoing the value, which is a credential
  }
  if (!ok) throw new Error(`reminder webhook of feed "${feed.id}": ${describeSecretRef(ref)} must hold an https URL (http only to loopback)`);
  return url;
}

function reminderText(r: ReminderInput): string {
  const what = `${r.credential.kind === 'password' ? 'Client secret' : 'Certificate'} "${r.credential.displayName}" (key ${r.credential.keyId}) of entra-ingest feed "${r.feed}"`;
  return r.daysLeft >= 0
    ? `${what} expires in ${r.daysLeft} day(s), on ${r.credential.endDateTime}. Add a new one under App registrations → Certificates & secrets and update the feed's secret reference.`
    : `${what} EXPIRED ${-r.daysLeft} day(s) ago (${r.credential.endDateTime}): ingestion for this feed is blocked until it is rotated.`;
}

export function adminActivities(feeds: FeedRegistry, logger: Logger) {
  const feedOf = (id: string): FeedRuntime => {
    const feed = feeds.get(id);
    if (!feed) throw unknownFeed(id, feeds.ids());
    return feed;
  };
  return {
    async readCredentialExpiry(feed: string): Promise<ExpiryReadResult> {
      try {
        return await readExpiry(feedOf(feed), Context.current().cancellationSignal);
      } catch (err) {
        throw toActivityFailure(err);
      }
    },

    /** Sends one reminder to every notifier of the feed: a warn log line, and webhooks (JSON, Slack or Teams). */
    async sendReminder(input: ReminderInput): Promise<void> {
      const feed = feedOf(input.feed);
      const text = reminderText(input);
      for (const n of feed.config.credentialExpiry.notifiers) {
        if (n.type === 'log') {
          logger.warn(text, { feed: input.feed, keyId: input.credential.keyId, daysLeft: input.daysLeft, endDateTime: input.credential.endDateTime });
          continue;
        }
        const body = n.format === 'json'
          ? { type: 'entra-ingest.credential-expiry', feed: input.feed, daysLeft: input.daysLeft, credential: input.credential, text }
          : { text }; // Slack and Teams incoming webhooks both accept a plain "text" message
        const res = await request(webhookUrl(feed, n.url.secret), {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
          signal: Context.current().cancellationSignal, headersTimeout: 15_000, bodyTimeout: 15_000,
        });
        await res.body.dump();
        if (res.statusCode >= 300) throw new Error(`reminder webhook answered HTTP ${res.statusCode}`);
      }
    },

    /** The onboarding check: token, each source once, licence, retention, clock skew and credential expiry. */
    async checkFeed(feedId: string): Promise<CheckReport> {
      const feed = feedOf(feedId);
      const signal = Context.current().cancellationSignal;
      const explain = (err: unknown): { detail: string; fix?: string } => {
        const e = err as { message?: string; kind?: string; fix?: string };
        return { detail: `${e.kind ? `${e.kind}: ` : ''}${e.message ?? String(err)}`, fix: e.fix };
      };
      let token: SourceCheck;
      let tokenOk = false;
      try {
        const t = await feed.tokenProvider().getToken({ signal });
        token = { source: 'token', ok: true, detail: `token issued, valid until ${t.expiresOn.toISOString()}` };
        tokenOk = true;
      } catch (err) {
        token = { source: 'token', ok: false, ...explain(err) };
      }
      const sources: SourceCheck[] = [];
      for (const source of feed.settings().sources) {
        if (!tokenOk) {
          sources.push({ source, ok: false, detail: 'not checked: no token' });
          continue;
        }
        try {
          await feed.graph().probe(source, signal);
          sources.push({ source, ok: true, detail: `readable (${describeRequirements(source, feed.config.retentionDays)})` });
        } catch (err) {
          sources.push({ source, ok: false, ...explain(err) });
        }
      }
      let clockSkewSeconds: number | undefined;
      try {
        const base = feed.config.graphUrl ?? 'https://graph.microsoft.com';
        const res = await request(base, { method: 'HEAD', signal, headersTimeout: 10_000, dispatcher: feed.dispatcher() });
        await res.body.dump();
        const date = res.headers.date;
        if (typeof date === 'string') clockSkewSeconds = Math.round((Date.now() - Date.parse(date)) / 1000);
      } catch {
        // Clock skew is informative only.
      }
      if (clockSkewSeconds !== undefined && Math.abs(clockSkewSeconds) > 300) {
        sources.push({ source: 'clock', ok: false, detail: `local clock is ${clockSkewSeconds}s off Graph's`, fix: 'synchronise the clock (NTP): tokens and time windows depend on it' });
      }
      let credentials: ExpiryCredential[] | undefined;
      if (tokenOk) {
        try {
          credentials = (await readExpiry(feed, signal)).credentials;
        } catch (err) {
          sources.push({ source: 'credential-expiry', ok: true, detail: `cannot read the app's credentials (${explain(err).detail}); reminders need Application.Read.All or credentialExpiry.expiresAt` });
        }
      }
      return { feed: feedId, ok: token.ok && sources.every((s) => s.ok), token, sources, clockSkewSeconds, credentials };
    },
  };
}
