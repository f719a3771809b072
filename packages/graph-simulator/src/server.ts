/** One HTTP(S) server for the login paths, the Graph paths and the test-only controls. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleApplications } from './applications';
import { ControlError, expireSecret, groundTruth, rotateSecret, setLicensed, validateFaults } from './controls';
import { handleDelta } from './delta';
import { newCtx, readBody, sendGraphError, sendJson, type Ctx } from './http-util';
import { handleInstanceDiscovery, handleOpenIdConfiguration } from './metadata';
import { handleReport } from './reports';
import type { SimulatorState } from './state';
import { handleToken } from './token-endpoint';
import type { GroundTruthSource } from './types';
import { handleVersioned } from './versioned-endpoint';
import { VERSIONED_SOURCES, type VersionedSource } from './versioned-logs';
import { SOURCE_SPECS } from '@entra-ingest/sources';

/** The newer log sources answer on the registry's paths. */
const VERSIONED_PATHS = new Map<string, VersionedSource>(
  VERSIONED_SOURCES.map((s) => [`/${SOURCE_SPECS[s].graph.version}/${SOURCE_SPECS[s].graph.path}`.toLowerCase(), s]),
);

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const OPENID_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const DISCOVERY_PATH = /^\/[^/]+\/discovery\/instance$/;
const KEYS_PATH = /^\/[^/]+\/discovery\/v2\.0\/keys$/;

export function requestHandler(state: SimulatorState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const ctx = newCtx(req, res, state.url, state.clock());
    state.stats.requests++;
    res.on('close', () => {
      const key = res.writableFinished ? String(res.statusCode) : 'reset';
      state.stats.byStatus[key] = (state.stats.byStatus[key] ?? 0) + 1;
    });
    route(ctx, state).catch((err: unknown) => {
      state.logger.error('graph simulator request failed', { path: ctx.url.pathname, error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendGraphError(ctx, 500, 'UnknownError', 'An internal server error occurred.');
      else res.destroy();
    });
  };
}

async function route(ctx: Ctx, state: SimulatorState): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  const path = ctx.url.pathname.replace(/\/+$/, '') || '/';
  const lower = path.toLowerCase();

  if (lower.startsWith('/_simulator/')) return control(ctx, state, lower.slice('/_simulator/'.length), method);

  if (lower.startsWith('/v1.0/')) {
    if (method !== 'GET') return sendGraphError(ctx, 405, 'Request_BadRequest', `The simulator serves only GET on ${path}.`);
    switch (lower) {
      case '/v1.0/auditlogs/directoryaudits':
        return handleReport(ctx, state, 'directoryAudits');
      case '/v1.0/auditlogs/signins':
        return handleReport(ctx, state, 'signIns');
      case '/v1.0/users/delta':
        return handleDelta(ctx, state, 'users');
      case '/v1.0/groups/delta':
        return handleDelta(ctx, state, 'groups');
      case '/v1.0/devices/delta':
        return handleDelta(ctx, state, 'devices');
      case '/v1.0/applications':
        return handleApplications(ctx, state);
      default: {
        const versioned = VERSIONED_PATHS.get(lower);
        if (versioned) return handleVersioned(ctx, state, versioned);
        return sendGraphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${path.split('/')[2] ?? ''}'.`);
      }
    }
  }

  const token = TOKEN_PATH.exec(path);
  if (token) {
    if (method !== 'POST') return sendJson(ctx, 405, { error: 'invalid_request', error_description: 'AADSTS900561: The endpoint only accepts POST requests.' });
    return handleToken(ctx, state, decodeURIComponent(token[1]));
  }
  const openid = OPENID_PATH.exec(path);
  if (openid) return handleOpenIdConfiguration(ctx, state, decodeURIComponent(openid[1]));
  if (DISCOVERY_PATH.test(path)) return handleInstanceDiscovery(ctx, state);
  if (KEYS_PATH.test(path)) return sendJson(ctx, 200, { keys: [] });
  sendJson(ctx, 404, { error: 'not_found', error_description: `No such path on the Graph simulator: ${path}` });
}

async function control(ctx: Ctx, state: SimulatorState, name: string, method: string): Promise<void> {
  try {
    if (name === 'records' && method === 'GET') {
      const q = ctx.url.searchParams;
      const records = groundTruth(state, {
        source: (q.get('source') ?? '') as GroundTruthSource,
        tenant: q.get('tenant') ?? undefined,
        from: q.get('from') ?? '',
        to: q.get('to') ?? '',
      });
      return sendJson(ctx, 200, { count: records.length, records });
    }
    if (name === 'stats' && method === 'GET') return sendJson(ctx, 200, state.stats);
    if (name === 'faults' && method === 'GET') return sendJson(ctx, 200, state.faults);
    const body = method === 'POST' ? parseJson(await readBody(ctx.req)) : undefined;
    if (name === 'faults' && method === 'POST') {
      state.faults = { ...state.faults, ...validateFaults(body) };
      return sendJson(ctx, 200, state.faults);
    }
    if (name === 'credentials' && method === 'POST') {
      const b = body as { tenantId?: string; clientId?: string; action?: string; value?: string; expiresAt?: string };
      if (!b.tenantId || !b.clientId) throw new ControlError('tenantId and clientId are required');
      if (b.action === 'expire') expireSecret(state, b.tenantId, b.clientId);
      else if (b.action === 'rotate') rotateSecret(state, b.tenantId, b.clientId, b.value ?? '', b.expiresAt ?? '');
      else throw new ControlError(`action must be "expire" or "rotate", got ${JSON.stringify(b.action)}`);
      return sendJson(ctx, 200, { ok: true });
    }
    if (name === 'license' && method === 'POST') {
      const b = body as { tenantId?: string; premium?: unknown };
      if (!b.tenantId || typeof b.premium !== 'boolean') throw new ControlError('tenantId and a boolean premium are required');
      setLicensed(state, b.tenantId, b.premium);
      return sendJson(ctx, 200, { ok: true });
    }
    sendJson(ctx, 404, { error: `no control ${method} /_simulator/${name}` });
  } catch (err) {
    if (err instanceof ControlError) return sendJson(ctx, 400, { error: err.message });
    throw err;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new ControlError('the request body must be JSON');
  }
}
