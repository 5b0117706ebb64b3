import { timingSafeEqual } from 'node:crypto';
import { completeGithubAppSetup, isAppError } from '@paas/core';
import { cookies } from 'next/headers';
import { forgetGithubSignIn } from '@/server/better-auth';
import { authorizePlatform, pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { GITHUB_SETUP_COOKIE, GITHUB_SETUP_PATH } from '@/server/github-setup-cookie';

export const dynamic = 'force-dynamic';

/** The App-manifest flow, last step: GitHub sends the admin back with a one-time code to exchange. */
export async function GET(request: Request) {
  const caller = await pageCaller();
  try {
    authorizePlatform(caller, 'github.manage');
  } catch (error) {
    if (!isAppError(error)) throw error;
    return new Response(null, { status: 303, headers: { location: `/github?error=${encodeURIComponent(error.message)}` } });
  }
  const { actor } = caller;
  const params = new URL(request.url).searchParams;
  const jar = await cookies();
  const expected = jar.get(GITHUB_SETUP_COOKIE)?.value ?? '';
  jar.delete({ name: GITHUB_SETUP_COOKIE, path: GITHUB_SETUP_PATH });
  // Relative: the browser stays on the address it used (its session cookie is for that host).
  const back = (query: string) => new Response(null, { status: 303, headers: { location: `/github?${query}` } });
  const state = params.get('state') ?? '';
  if (!expected || state.length !== expected.length || !timingSafeEqual(Buffer.from(state), Buffer.from(expected))) {
    return back(`error=${encodeURIComponent('The answer from GitHub does not match a setup started here; start again.')}`);
  }
  try {
    await completeGithubAppSetup(webContext(), params.get('code') ?? '', actor);
    forgetGithubSignIn();
  } catch (error) {
    if (!isAppError(error)) throw error;
    return back(`error=${encodeURIComponent(error.message)}`);
  }
  return back('created=1');
}
