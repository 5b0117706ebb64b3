'use server';

import {
  AppError,
  acceptInvitation,
  changeMemberRole,
  createApiToken,
  createInvitation,
  createTeam,
  deleteTeam,
  removeMember,
  revokeApiToken,
  revokeInvitation,
} from '@paas/core';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { isAdminToken } from '@/server/admin-token';
import { ensureNotThrottled, noteFailure } from '@/server/auth-throttle';
import { auth } from '@/server/better-auth';
import { pageCaller, pageUser, requestIp, TEAM_COOKIE } from '@/server/caller';
import { cloudSettings, webContext } from '@/server/context';
import { setUpFirstOwner, signUpThen } from '@/server/first-owner';
import { publicUrls } from '@/server/public-urls';
import { type ActionResult, attempt } from './action-result';

// The dashboard's actions about people: accounts, sessions, tokens, teams and
// members. Each goes through the same use case (and check) as the REST API.

const clock = () => ({ db: webContext().db, now: () => new Date() });

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** The first owner of a fresh install: needs the admin token from the environment. */
export async function setUpOwner(_prev: ActionResult | undefined, form: FormData): Promise<ActionResult> {
  const h = await headers();
  const result = await attempt(async () => {
    ensureNotThrottled(requestIp(h));
    if (!isAdminToken(field(form, 'setupToken').trim())) {
      await noteFailure(requestIp(h));
      throw new AppError('unauthorized', 'that setup token is not right');
    }
    await setUpFirstOwner(
      { email: field(form, 'email'), name: field(form, 'name'), password: field(form, 'password') },
      h,
      requestIp(h),
    );
    return undefined;
  });
  if (result.ok) redirect('/');
  return result;
}

/** Joins a team by its invitation link: as a new account, or as the signed-in user. */
export async function joinByInvitation(token: string, _prev: ActionResult | undefined, form: FormData): Promise<ActionResult> {
  const h = await headers();
  const ip = requestIp(h);
  const session = await auth().api.getSession({ headers: h });
  const result = await attempt(async () => {
    if (session) {
      const joined = await acceptInvitation(clock(), session.user, token, ip);
      (await cookies()).set(TEAM_COOKIE, joined.team.slug, { httpOnly: true, sameSite: 'lax', path: '/' });
      return undefined;
    }
    const { result: joined } = await signUpThen(
      { email: field(form, 'email'), name: field(form, 'name'), password: field(form, 'password') },
      h,
      (user) => acceptInvitation(clock(), user, token, ip),
    );
    (await cookies()).set(TEAM_COOKIE, joined.team.slug, { httpOnly: true, sameSite: 'lax', path: '/' });
    return undefined;
  });
  if (result.ok) redirect('/');
  return result;
}

export async function signOut(): Promise<void> {
  await auth().api.signOut({ headers: await headers() });
  (await cookies()).delete(TEAM_COOKIE);
  redirect('/login');
}

/** Ends one of your sessions (another browser); the current one signs out. */
export async function revokeSession(sessionId: string): Promise<ActionResult> {
  const user = await pageUser();
  return attempt(async () => {
    await webContext().db.session.deleteMany({ where: { id: sessionId, userId: user.id } });
    return undefined;
  });
}

export async function revokeOtherSessions(): Promise<ActionResult> {
  await pageUser();
  return attempt(async () => {
    await auth().api.revokeOtherSessions({ headers: await headers() });
    return undefined;
  });
}

export async function switchTeam(slug: string): Promise<void> {
  await pageUser();
  (await cookies()).set(TEAM_COOKIE, slug, { httpOnly: true, sameSite: 'lax', path: '/' });
  redirect('/');
}

export async function createTokenAction(input: {
  name: string;
  expiresInDays: number;
  role?: string;
}): Promise<ActionResult<{ token: string; name: string }>> {
  return attempt(async () => {
    const created = await createApiToken(clock(), await pageCaller(), input);
    return { token: created.token, name: created.name };
  });
}

export async function revokeTokenAction(tokenId: string): Promise<ActionResult> {
  return attempt(async () => {
    await revokeApiToken(clock(), await pageCaller(), tokenId);
    return undefined;
  });
}

export async function inviteAction(input: { role: string; email: string }): Promise<ActionResult<string>> {
  return attempt(async () => {
    const caller = await pageCaller();
    const email = input.email.trim();
    const invitation = await createInvitation(clock(), caller, { role: input.role, ...(email ? { email } : {}) });
    const h = await headers();
    const { dashboardUrl } = publicUrls(webContext().env, { headers: h, url: `http://${h.get('host') ?? 'localhost'}/` });
    return `${dashboardUrl}/invite/${invitation.token}`;
  });
}

export async function revokeInvitationAction(invitationId: string): Promise<ActionResult> {
  return attempt(async () => {
    await revokeInvitation(clock(), await pageCaller(), invitationId);
    return undefined;
  });
}

export async function changeRoleAction(userId: string, role: string): Promise<ActionResult> {
  return attempt(async () => {
    await changeMemberRole(webContext(), await pageCaller(), userId, { role });
    return undefined;
  });
}

export async function removeMemberAction(userId: string): Promise<ActionResult> {
  return attempt(async () => {
    await removeMember(clock(), await pageCaller(), userId);
    return undefined;
  });
}

export async function createTeamAction(input: { slug: string; name: string }): Promise<ActionResult<string>> {
  const result = await attempt(async () => {
    const user = await pageUser();
    const ctx = webContext();
    const actor = { type: 'user' as const, id: user.id, label: user.email, ip: requestIp(await headers()) };
    return (await createTeam({ db: ctx.db, cloud: cloudSettings(ctx.env) }, { userId: user.id, actor }, input)).slug;
  });
  if (result.ok) (await cookies()).set(TEAM_COOKIE, result.value, { httpOnly: true, sameSite: 'lax', path: '/' });
  return result;
}

export async function deleteTeamAction(): Promise<ActionResult> {
  const result = await attempt(async () => {
    await deleteTeam(webContext(), await pageCaller());
    return undefined;
  });
  if (result.ok) (await cookies()).delete(TEAM_COOKIE);
  return result;
}
