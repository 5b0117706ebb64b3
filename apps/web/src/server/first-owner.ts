import 'server-only';
import { AppError, claimFirstOwner, emailSchema, isFreshInstall } from '@paas/core';
import { auth, CLIENT_IP_HEADER } from './better-auth';
import { requestIp } from './caller';
import { cloudSettings, webContext } from './context';

export interface NewAccount {
  email: string;
  name?: string;
  password: string;
}

function normalizeEmail(raw: string): string {
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues[0]?.message ?? 'email is not valid');
  return parsed.data;
}

/**
 * A new user account (email + password) through the auth library; `then`
 * makes it a member of something. If that fails, the account is removed, so a
 * refused sign-up leaves nothing behind.
 */
export async function signUpThen<T>(
  account: NewAccount,
  headers: Headers,
  then: (user: { id: string; email: string }) => Promise<T>,
): Promise<{ user: { id: string; email: string }; result: T }> {
  const email = normalizeEmail(account.email);
  const name = account.name?.trim() || email.split('@')[0] || email;
  const { db } = webContext();
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new AppError('conflict', 'an account with this email exists: sign in instead');
  }
  let created: { user: { id: string; email: string } };
  try {
    // The session it opens records where the person signed up from, as a sign-in does.
    const withIp = new Headers(headers);
    withIp.delete(CLIENT_IP_HEADER);
    const ip = requestIp(headers);
    if (ip) withIp.set(CLIENT_IP_HEADER, ip);
    created = await auth().api.signUpEmail({ body: { email, name, password: account.password }, headers: withIp });
  } catch (error) {
    // The library's refusals (password too short…) carry a message meant for people.
    const message = error instanceof Error ? error.message : 'sign-up failed';
    throw new AppError('validation_failed', message);
  }
  const user = { id: created.user.id, email: created.user.email };
  try {
    return { user, result: await then(user) };
  } catch (error) {
    await db.user.delete({ where: { id: user.id } }).catch(() => {});
    throw error;
  }
}

/** The fresh install's first user becomes the owner of the platform's team. */
export async function setUpFirstOwner(account: NewAccount, headers: Headers, ip: string | null) {
  const ctx = webContext();
  if (!(await isFreshInstall(ctx))) throw new AppError('conflict', 'this platform is set up already: sign in');
  return signUpThen(account, headers, (user) => claimFirstOwner({ db: ctx.db, cloud: cloudSettings(ctx.env) }, user, ip));
}
