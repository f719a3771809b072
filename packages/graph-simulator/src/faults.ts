/**
 * Faults on demand, drawn per Graph request from the configured probabilities: slow answers, 5xx with and
 * without Retry-After, and broken bodies (malformed JSON, a truncated page, a connection reset mid-body).
 */
import { sendGraphError, sendRaw, type Ctx } from './http-util';
import type { SimulatorState } from './state';

const GATEWAY_HTML = (status: number): string =>
  `<!DOCTYPE html><html><head><title>${status} ${status === 502 ? 'Bad Gateway' : 'Gateway Timeout'}</title></head><body><h1>${status}</h1><p>The service is temporarily unavailable.</p></body></html>`;

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

/** Request-level faults. Returns true when a fault response was sent (the handler must stop). */
export async function applyRequestFaults(ctx: Ctx, state: SimulatorState): Promise<boolean> {
  if (state.roll('slowResponse')) await delay(state.faults.slowResponseMs);
  if (state.roll('http5xxWithRetryAfter')) {
    const status = state.faultRng.float() < 0.7 ? 503 : 500;
    const retryAfter = 1 + Math.floor(state.faultRng.float() * 3);
    sendGraphError(ctx, status, status === 503 ? 'serviceNotAvailable' : 'UnknownError', status === 503 ? 'The service is temporarily unavailable. Please retry later.' : 'An internal server error occurred.', { 'retry-after': String(retryAfter) });
    return true;
  }
  if (state.roll('http5xx')) {
    const status = [500, 502, 503, 504][Math.floor(state.faultRng.float() * 4)];
    if (status === 502 || status === 504) sendRaw(ctx, status, GATEWAY_HTML(status), { 'content-type': 'text/html' });
    else sendGraphError(ctx, status, status === 503 ? 'serviceNotAvailable' : 'UnknownError', status === 503 ? 'The service is temporarily unavailable.' : 'An internal server error occurred.');
    return true;
  }
  return false;
}

/** Sends a JSON page, possibly broken on purpose. */
export function sendPageBody(ctx: Ctx, state: SimulatorState, body: string): void {
  if (state.roll('resetMidBody')) {
    ctx.status = 200;
    const bytes = Buffer.from(body);
    ctx.res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length, 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId });
    ctx.res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => ctx.res.socket?.destroy());
    return;
  }
  if (state.roll('truncatedPage')) return sendRaw(ctx, 200, body.slice(0, Math.max(1, Math.floor(body.length * 0.6))));
  if (state.roll('malformedJson')) return sendRaw(ctx, 200, body.replace('"value":[', '"value":[,'));
  sendRaw(ctx, 200, body);
}
