/** Request context and the two error envelopes: Graph's and the Microsoft identity platform's. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { entraTimestamp, graphErrorDate } from './time';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  requestId: string;
  clientRequestId: string;
  nowMs: number;
  /** Set by the router: the response status, for statistics. */
  status?: number;
}

export function newCtx(req: IncomingMessage, res: ServerResponse, base: string, nowMs: number): Ctx {
  const requestId = randomUUID();
  const header = req.headers['client-request-id'];
  const clientRequestId = (Array.isArray(header) ? header[0] : header) ?? requestId;
  return { req, res, url: new URL(req.url ?? '/', base), requestId, clientRequestId, nowMs };
}

export function sendRaw(ctx: Ctx, status: number, body: string | Buffer, headers: Record<string, string | number> = {}): void {
  ctx.status = status;
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  ctx.res.writeHead(status, {
    'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8',
    'request-id': ctx.requestId,
    'client-request-id': ctx.clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Local Simulator', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'SIM' } }),
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  ctx.res.end(body);
}

export function sendJson(ctx: Ctx, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  sendRaw(ctx, status, JSON.stringify(body), headers);
}

/** Graph's error envelope, echoing the caller's client-request-id. */
export function graphErrorBody(ctx: Ctx, code: string, message: string): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: { date: graphErrorDate(ctx.nowMs), 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId },
    },
  };
}

export function sendGraphError(ctx: Ctx, status: number, code: string, message: string, headers: Record<string, string | number> = {}): void {
  sendJson(ctx, status, graphErrorBody(ctx, code, message), headers);
}

/** Throttled responses carry Graph's extra innerError fields (code, status, message), as the documented sample. */
export function sendThrottled(ctx: Ctx, retryAfterSeconds: number): void {
  const retryAfter = Number(retryAfterSeconds.toFixed(3));
  sendJson(
    ctx,
    429,
    {
      error: {
        code: 'TooManyRequests',
        innerError: { code: '429', date: graphErrorDate(ctx.nowMs), message: 'Please retry after', 'request-id': ctx.requestId, status: '429', 'client-request-id': ctx.clientRequestId },
        message: 'Please retry again later.',
      },
    },
    { 'retry-after': String(retryAfter) },
  );
}

/** Entra's token-endpoint error body: `AADSTS<code>: ...` with trace and correlation ids. */
export function sendEntraError(ctx: Ctx, status: number, error: string, code: number, description: string): void {
  const traceId = randomUUID();
  const correlationId = ctx.clientRequestId;
  const timestamp = entraTimestamp(ctx.nowMs);
  sendJson(
    ctx,
    status,
    {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    },
    { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': traceId },
  );
}

export function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
