import type { ServerResponse } from 'node:http';

// Short pages for what the router answers itself. They name the host or app
// the visitor asked for and nothing about the machine behind it.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function sendPage(res: ServerResponse, status: 404 | 502 | 503, title: string, message: string, head: boolean): void {
  const body = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>\n`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    via: VIA,
    ...(status === 503 ? { 'retry-after': '5' } : {}),
  });
  res.end(head ? undefined : body);
}

/** The same answer on a raw socket, for WebSocket upgrades that cannot be routed. */
export function rawPage(status: 404 | 502 | 503, message: string): string {
  const reason = { 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Unavailable' }[status];
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(message)}\r\nconnection: close\r\n\r\n${message}`;
}

export const VIA = '1.1 paas-router';

export const pages = {
  noRoute: (host: string) => ({
    title: 'No app here',
    message: host ? `No app is routed for ${host}.` : 'The request has no Host header, so it cannot be routed to an app.',
  }),
  noHealthy: (app: string) => ({
    title: 'App unavailable',
    message: `The app ${app} has no healthy instances right now (it may be starting, crashed or scaled to zero). Try again shortly.`,
  }),
  badGateway: (app: string) => ({ title: 'Bad gateway', message: `The app ${app} could not be reached.` }),
};
