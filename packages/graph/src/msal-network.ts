import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { request, type Dispatcher } from 'undici';

export const LOGIN_TRANSPORT_ERROR = 'login_transport_error';

/**
 * A transport-level failure talking to the login endpoint. It is an msal AuthError so msal rethrows it as is
 * (anything else becomes an opaque "network_error"). msal's AuthError resets its prototype and message, so the
 * details live in own fields and it is recognised by `errorCode`, not instanceof.
 */
export interface LoginTransportError extends AuthError {
  errorCode: typeof LOGIN_TRANSPORT_ERROR;
  detail: string;
  httpStatus?: number;
  retryAfterMs?: number;
}

function loginTransportError(url: string, httpStatus: number | undefined, detail: string, retryAfterMs?: number): LoginTransportError {
  const err = new AuthError(LOGIN_TRANSPORT_ERROR, `login endpoint ${url}: ${detail}`) as LoginTransportError;
  return Object.assign(err, { detail: `login endpoint ${url}: ${detail}`, httpStatus, retryAfterMs });
}

export function isLoginTransportError(err: unknown): err is LoginTransportError {
  return (err as { errorCode?: unknown } | null)?.errorCode === LOGIN_TRANSPORT_ERROR && typeof (err as { detail?: unknown }).detail === 'string';
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(unparseable url)';
  }
}

/** msal's HTTP, on undici with the same proxy, CA and timeouts as the Graph calls. */
export function createMsalNetworkClient(dispatcher: Dispatcher): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeoutMs?: number): Promise<NetworkResponse<T>> => {
    const where = safeUrl(url);
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await request(url, {
        method, dispatcher, headers: options?.headers, body: method === 'POST' ? options?.body ?? '' : undefined,
        signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
      });
      text = await res.body.text();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw loginTransportError(where, undefined, `request failed: ${e.code ?? e.name}: ${e.message}`);
    }
    const headers = flattenHeaders(res.headers);
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const isErrorEnvelope = !!body && typeof body === 'object' && ('error' in body || 'error_description' in body);
    if (res.statusCode >= 500 && !isErrorEnvelope) {
      const retryAfter = Number(headers['retry-after']);
      throw loginTransportError(where, res.statusCode, `HTTP ${res.statusCode}`, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
    }
    if (body === undefined) {
      throw loginTransportError(where, res.statusCode, `HTTP ${res.statusCode} with a body that is not JSON (is the login URL right?)`);
    }
    // msal reads the HTTP status from the body for server errors; keep it there for classification.
    if (isErrorEnvelope && (body as Record<string, unknown>).status === undefined) (body as Record<string, unknown>).status = res.statusCode;
    return { headers, body: body as T, status: res.statusCode };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>('GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
  };
}
