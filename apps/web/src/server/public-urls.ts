import 'server-only';
import type { WebEnv } from '@paas/config';

/**
 * Where GitHub and its users reach the dashboard and the webhook receiver: the
 * configured addresses, else the dashboard's address as this request reached
 * it (behind a proxy, its X-Forwarded-* headers) and the receiver's port there.
 */
export function publicUrls(env: WebEnv, request: { headers: Headers; url: string }) {
  const own = new URL(request.url);
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || own.protocol.replace(':', '');
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host') || own.host;
  const dashboardUrl = (env.PAAS_PUBLIC_URL ?? `${proto}://${host}`).replace(/\/$/, '');
  const hostname = new URL(`${proto}://${host}`).hostname;
  const webhookUrl = env.PAAS_WEBHOOK_PUBLIC_URL ?? `${proto}://${hostname}:${env.PAAS_WEBHOOK_PORT}/api/webhooks/github`;
  return { dashboardUrl, webhookUrl, githubUrl: env.GITHUB_URL };
}

/** What `appUrl` needs to write an app's address as its users reach it. */
export function appUrlOptions(env: WebEnv) {
  return { cloud: env.PAAS_CLOUD, routerPort: env.PAAS_ROUTER_PORT, template: env.PAAS_APP_URL };
}
