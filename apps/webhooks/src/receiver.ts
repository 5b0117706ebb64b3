import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError, HTTP_STATUS, isAppError, isRetryableError, type Logger, summarizeDelivery } from '@paas/core';
import { verifyGithubSignature } from '@paas/github';
import type { DeliveryRecorder } from './delivery-recorder';
import { readBodyLimited } from './read-body';
import type { SignatureSecrets } from './signature-secrets';

/** Where GitHub delivers; the same path the dashboard's host forwards to this process in production. */
export const GITHUB_WEBHOOK_PATH = '/api/webhooks/github';
const APP_PREFIX = `${GITHUB_WEBHOOK_PATH}/apps/`;
// GitHub caps payloads at 25 MB; anything larger is not from GitHub.
const MAX_BYTES = 25 * 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';

/**
 * The GitHub webhook receiver: verify the signature over the raw bytes, store
 * the delivery, answer. Nothing else happens on the request path (a worker
 * relays stored deliveries into deployments), so a burst of pushes is answered
 * in milliseconds and an answer always means "stored".
 */
export function createReceiver(deps: { recorder: DeliveryRecorder; secrets: SignatureSecrets; log: Logger }): Server {
  return createServer((request, response) => {
    route(deps, request, response).catch((error) => fail(deps.log, request, response, error));
  });
}

async function route(
  deps: { recorder: DeliveryRecorder; secrets: SignatureSecrets; log: Logger },
  request: IncomingMessage,
  response: ServerResponse,
) {
  const path = (request.url ?? '/').split('?')[0] as string;
  if (path === '/healthz' && request.method === 'GET') return send(response, 200, { ok: true });
  // An app with a webhook secret of its own (a repository outside the GitHub App) has a URL of its own.
  const forApp = path.startsWith(APP_PREFIX) ? decodeURIComponent(path.slice(APP_PREFIX.length)) : null;
  if (path !== GITHUB_WEBHOOK_PATH && (forApp === null || !/^[a-z][a-z0-9-]{0,29}$/.test(forApp))) {
    return send(response, 404, { error: { code: 'not_found', message: 'no such endpoint' } });
  }
  if (request.method !== 'POST') {
    response.setHeader('allow', 'POST');
    return send(response, 405, { error: { code: 'method_not_allowed', message: 'GitHub deliveries are POSTed' } });
  }

  const bytes = await readBodyLimited(request, MAX_BYTES);
  // The signature covers the exact bytes: verify before parsing anything.
  const raw = bytes.toString('utf8');
  const signature = request.headers['x-hub-signature-256'];
  const signed = typeof signature === 'string' ? signature : null;
  const scope = forApp === null ? null : await signedForApp(deps.secrets, forApp, raw, signed);
  if (forApp === null ? !(await signedWithAny(deps.secrets, raw, signed)) : scope === null) {
    throw new AppError('bad_signature', 'X-Hub-Signature-256 does not match the payload');
  }

  const deliveryId = header(request, 'x-github-delivery');
  const event = header(request, 'x-github-event');
  if (!deliveryId || !event) throw new AppError('malformed_request', 'missing X-GitHub-Delivery or X-GitHub-Event header');
  if (deliveryId.length > 200 || !/^[\w-]+$/.test(event)) throw new AppError('malformed_request', 'invalid delivery headers');

  // GitHub sends JSON, or the same JSON as a `payload` form field when the hook
  // was set to that content type; the signature covers the raw body either way.
  const contentType = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json' && contentType !== FORM) {
    throw new AppError('malformed_request', `unsupported content type "${contentType}": use application/json`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(contentType === FORM ? (new URLSearchParams(raw).get('payload') ?? '') : raw);
  } catch {
    throw new AppError('malformed_request', 'payload is not valid JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new AppError('malformed_request', 'payload must be a JSON object');
  }
  const summary = summarizeDelivery(event, payload as Record<string, unknown>);

  const result = await deps.recorder.record({
    deliveryId,
    event,
    rawBody: bytes,
    scopeAppId: scope,
    ...summary,
  });
  if (result === 'duplicate') return send(response, 200, { status: 'duplicate', message: 'delivery already received' });
  // 202: stored; what it causes (a deploy, or why nothing) shows in the app's deliveries.
  return send(response, event === 'ping' ? 200 : 202, { status: 'received', delivery: deliveryId });
}

async function signedWithAny(secrets: SignatureSecrets, raw: string, signature: string | null): Promise<boolean> {
  if (!signature) return false;
  const matches = async () => {
    for (const secret of await secrets.candidates()) {
      if (await verifyGithubSignature(secret, raw, signature)) return true;
    }
    return false;
  };
  // No match may mean the GitHub App was made since its secret was read.
  return (await matches()) || ((await secrets.refresh()) && (await matches()));
}

/** The app's id when the body is signed with its own webhook secret. */
async function signedForApp(
  secrets: SignatureSecrets,
  name: string,
  raw: string,
  signature: string | null,
): Promise<string | null> {
  if (!signature) return null;
  const own = await secrets.forApp(name);
  return own && (await verifyGithubSignature(own.secret, raw, signature)) ? own.appId : null;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function fail(log: Logger, request: IncomingMessage, response: ServerResponse, error: unknown) {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (isAppError(error)) {
    // No `Connection: close` with the 413: Node would then close the socket once
    // the answer is out, while the sender is still writing, and its next write
    // would break (EPIPE) before it read the answer. The rest of the body is
    // read and thrown away instead, up to a cap.
    if (error.code === 'payload_too_large') discardRest(request);
    return send(response, HTTP_STATUS[error.code], { error: { code: error.code, message: error.message } });
  }
  if (isRetryableError(error)) {
    // Postgres is away or busy: nothing was stored, so nothing is acknowledged; GitHub's redelivery will find us.
    log.warn('delivery not stored: the database is unavailable', {
      error: error instanceof Error ? error.message : String(error),
    });
    return send(
      response,
      503,
      { error: { code: 'unavailable', message: 'the platform cannot store deliveries right now; redeliver shortly' } },
      { 'retry-after': '5' },
    );
  }
  log.error('delivery failed', { error: error instanceof Error ? error.message : String(error) });
  return send(response, 500, { error: { code: 'internal', message: 'internal error' } });
}

// How much of a refused body is still read (and thrown away) so its sender
// gets the 413 instead of a broken pipe; past this the connection is cut.
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

/** Reads what is left of a refused body without keeping it, then lets the connection close. */
function discardRest(request: IncomingMessage) {
  let discarded = 0;
  request.removeAllListeners('data');
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_MAX_BYTES) request.destroy();
  });
  request.resume();
}
