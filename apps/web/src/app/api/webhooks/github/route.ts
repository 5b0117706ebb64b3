import { AppError, receiveGithubDelivery } from '@paas/core';
import { verifyGithubSignature } from '@paas/github';
import { NextResponse } from 'next/server';
import { handler, webContext } from '@/server/http';
import { readBodyLimited } from '@/server/read-body';

export const dynamic = 'force-dynamic';

// GitHub caps payloads at 25 MB; anything larger is not from GitHub.
const MAX_BYTES = 25 * 1024 * 1024;

export const POST = handler(async (request: Request) => {
  const ctx = webContext();
  // Refused while it streams: an oversized body (with or without Content-Length) never sits in memory.
  const bytes = await readBodyLimited(request, MAX_BYTES);
  // The signature covers the exact bytes: verify before parsing anything.
  const raw = bytes.toString('utf8');
  const valid = await verifyGithubSignature(ctx.env.GITHUB_WEBHOOK_SECRET, raw, request.headers.get('x-hub-signature-256'));
  if (!valid) throw new AppError('bad_signature', 'X-Hub-Signature-256 does not match the payload');

  const deliveryId = request.headers.get('x-github-delivery');
  const event = request.headers.get('x-github-event');
  if (!deliveryId || !event) throw new AppError('malformed_request', 'missing X-GitHub-Delivery or X-GitHub-Event header');
  if (deliveryId.length > 200 || !/^[\w-]+$/.test(event)) throw new AppError('malformed_request', 'invalid delivery headers');

  // GitHub sends JSON, or the same JSON as a `payload` form field when the hook
  // was set to application/x-www-form-urlencoded; the signature covers the raw body either way.
  const form = (request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
  let payload: unknown;
  try {
    payload = JSON.parse(form ? (new URLSearchParams(raw).get('payload') ?? '') : raw);
  } catch {
    throw new AppError('malformed_request', 'payload is not valid JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new AppError('malformed_request', 'payload must be a JSON object');
  }

  const outcome = await receiveGithubDelivery(ctx, { deliveryId, event, payload, rawBody: bytes });
  switch (outcome.status) {
    case 'duplicate':
      return NextResponse.json({ status: 'duplicate', message: 'delivery already received' }, { status: 200 });
    case 'ignored':
      return NextResponse.json({ status: 'ignored', reason: outcome.reason }, { status: event === 'ping' ? 200 : 202 });
    case 'accepted':
      return NextResponse.json({ status: 'accepted', deployments: outcome.deployments }, { status: 202 });
  }
});
