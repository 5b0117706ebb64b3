import { randomBytes } from 'node:crypto';
import { githubAppManifest, isAppError } from '@paas/core';
import { cookies } from 'next/headers';
import { authorizePlatform, pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { GITHUB_SETUP_COOKIE, GITHUB_SETUP_PATH } from '@/server/github-setup-cookie';
import { publicUrls } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

/**
 * The App-manifest flow, first step: a page that posts the manifest to GitHub
 * (GitHub only takes it as a form POST from the browser). The `state` cookie
 * lets the callback check that GitHub sends back the admin who started here.
 */
export async function GET(request: Request) {
  try {
    authorizePlatform(await pageCaller(), 'github.manage');
  } catch (error) {
    if (!isAppError(error)) throw error;
    return new Response(null, { status: 303, headers: { location: `/github?error=${encodeURIComponent(error.message)}` } });
  }
  const ctx = webContext();
  const params = new URL(request.url).searchParams;
  const state = randomBytes(24).toString('hex');
  let setup: ReturnType<typeof githubAppManifest>;
  try {
    setup = githubAppManifest(
      { name: params.get('name') ?? '', organization: params.get('organization') ?? '' },
      publicUrls(ctx.env, request),
      state,
    );
  } catch (error) {
    if (!isAppError(error)) throw error;
    return new Response(null, { status: 303, headers: { location: `/github?error=${encodeURIComponent(error.message)}` } });
  }
  (await cookies()).set(GITHUB_SETUP_COOKIE, state, { httpOnly: true, sameSite: 'lax', path: GITHUB_SETUP_PATH, maxAge: 3600 });
  const manifest = escapeHtml(JSON.stringify(setup.manifest));
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Create the GitHub App</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<form id="manifest" method="post" action="${escapeHtml(setup.postTo)}">
  <input type="hidden" name="manifest" value="${manifest}">
  <p>GitHub will show the App it is about to create (name, permissions, events, webhook) and ask you to confirm.</p>
  <button type="submit">Continue to GitHub</button>
</form>
<script>document.getElementById('manifest').submit()</script>
</body></html>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
