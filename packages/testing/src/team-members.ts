import { randomBytes } from 'node:crypto';

// People on a running platform, made the way a team makes them: the owner
// invites (REST), the invitee accepts and signs in, then makes an API token.

export interface PlatformAccess {
  webUrl: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any; text: string }>;
}

export interface Member {
  email: string;
  password: string;
  role: string;
  /** An API token of theirs for the team they joined. */
  token: string;
  /** Their dashboard session cookie (`name=value`). */
  cookie: string;
}

/** Signs in with email and password; answers the session cookie. */
export async function signIn(webUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${webUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: webUrl },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('paas.session_token='));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie.split(';')[0] as string;
}

/** An API token made with a session cookie (as the dashboard's account page does), for the team named. */
export async function tokenFor(webUrl: string, cookie: string, team?: string): Promise<string> {
  const res = await fetch(`${webUrl}/api/v1/tokens`, {
    method: 'POST',
    headers: { cookie, origin: webUrl, 'content-type': 'application/json', ...(team ? { 'x-paas-team': team } : {}) },
    body: JSON.stringify({ name: `test-${randomBytes(3).toString('hex')}`, expiresInDays: 1 }),
  });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: { token: string } }).token.token;
}

/** Invites a new person with `role` (by `inviterToken`, default the owner's) and has them join. */
export async function addMember(platform: PlatformAccess, role: string, inviterToken?: string): Promise<Member> {
  const invited = await platform.api('POST', '/api/v1/team/invitations', { role }, inviterToken);
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${invited.text}`);
  const link: string = invited.json.invitation.url;
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const password = randomBytes(12).toString('hex');
  const token = link.slice(link.lastIndexOf('/') + 1);
  const accepted = await fetch(`${platform.webUrl}/api/v1/invitations/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, name: role }),
  });
  if (accepted.status !== 201) throw new Error(`accepting failed: ${accepted.status} ${await accepted.text()}`);
  const cookie = await signIn(platform.webUrl, email, password);
  return { email, password, role, cookie, token: await tokenFor(platform.webUrl, cookie) };
}
