// Secret hygiene over workflow histories, on what the histories MEAN: every payload (inputs, results, memos, headers,
// search attributes, failure details and encoded attributes, queries, signals) is decoded, through the payload codecs
// when encryption is on, and its bytes searched as text, next to every plain string (failure messages, ids).
// Searching JSON.stringify(history) cannot work: payload data is bytes there, base64 or number arrays.
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** A JWT (access tokens, msal's client assertions): three base64url parts, the first two JSON objects. */
export const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/;

export interface TextPiece {
  /** Path in the history, e.g. `events[0].workflowExecutionStartedEventAttributes.input.payloads[0]`. */
  where: string;
  text: string;
  /** True when the text came out of a (decoded) payload. */
  payload: boolean;
}

export interface Leak {
  where: string;
  what: string;
}

function isPayload(v: unknown): v is Payload & { data: Uint8Array } {
  if (!v || typeof v !== 'object') return false;
  const p = v as { data?: unknown; metadata?: unknown };
  return p.data instanceof Uint8Array && !!p.metadata && typeof p.metadata === 'object';
}

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** Applies the codecs in decode order (last encoder first), as a DataConverter does. */
async function decode(payload: Payload, codecs: PayloadCodec[]): Promise<Payload> {
  let out = [payload];
  for (const c of [...codecs].reverse()) out = await c.decode(out);
  return out[0]!;
}

/** Every piece of text a history holds, payloads decoded. */
export async function historyTexts(history: unknown, codecs: PayloadCodec[] = []): Promise<TextPiece[]> {
  const pieces: TextPiece[] = [];
  const visit = async (value: unknown, where: string): Promise<void> => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string') {
      pieces.push({ where, text: value, payload: false });
      return;
    }
    if (isPayload(value)) {
      const decoded = codecs.length ? await decode(value, codecs) : value;
      const meta = Object.entries(decoded.metadata ?? {}).map(([k, v]) => `${k}=${v ? utf8(v) : ''}`).join(' ');
      pieces.push({ where, text: `${meta}\n${decoded.data ? utf8(decoded.data) : ''}`, payload: true });
      return;
    }
    if (value instanceof Uint8Array) {
      pieces.push({ where, text: utf8(value), payload: false });
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) await visit(value[i], `${where}[${i}]`);
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) await visit(v, where ? `${where}.${k}` : k);
    }
  };
  await visit(history, '');
  return pieces;
}

/** The needles (by name) and any JWT found in the pieces; one leak per piece and needle. */
export function findLeaksIn(pieces: TextPiece[], needles: Record<string, string>): Leak[] {
  const leaks: Leak[] = [];
  for (const p of pieces) {
    for (const [what, needle] of Object.entries(needles)) if (needle && p.text.includes(needle)) leaks.push({ where: p.where, what });
    const jwt = JWT.exec(p.text);
    if (jwt) leaks.push({ where: p.where, what: `a JWT: ${jwt[0].slice(0, 16)}…` });
  }
  return leaks;
}

export interface HistoryScan {
  leaks: Leak[];
  histories: number;
  /** Payloads decoded, by the kind of field they sat in (input, result, memo, header, searchAttributes, …). */
  payloadKinds: Record<string, number>;
}

/** The field a payload sat in, from its path: the last name that is not `payloads`, `fields` or an index. */
function kindOf(where: string): string {
  const names = where.replace(/\[\d+\]/g, '').split('.');
  const known = ['input', 'result', 'memo', 'upsertedMemo', 'header', 'searchAttributes', 'details', 'encodedAttributes', 'lastCompletionResult', 'heartbeatDetails'];
  return [...names].reverse().find((n) => known.includes(n)) ?? names.filter((n) => n !== 'payloads' && n !== 'fields' && n !== 'indexedFields').pop() ?? where;
}

/** Fetches every history the query lists and scans each one. */
export async function scanHistories(client: Client, query: string, needles: Record<string, string>, codecs: PayloadCodec[] = []): Promise<HistoryScan> {
  const scan: HistoryScan = { leaks: [], histories: 0, payloadKinds: {} };
  for await (const wf of client.workflow.list({ query })) {
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const pieces = await historyTexts(history, codecs);
    for (const p of pieces) if (p.payload) scan.payloadKinds[kindOf(p.where)] = (scan.payloadKinds[kindOf(p.where)] ?? 0) + 1;
    scan.leaks.push(...findLeaksIn(pieces, needles).map((l) => ({ where: `history of ${wf.workflowId}: ${l.where}`, what: l.what })));
    scan.histories++;
  }
  return scan;
}
