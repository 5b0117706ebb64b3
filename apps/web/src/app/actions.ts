'use server';

import { isAppError, updateFormation } from '@paas/core';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { isAdminToken, SESSION_COOKIE, sessionValue } from '@/server/auth';
import { webContext } from '@/server/context';
import { requireSession } from '@/server/session';

export async function signIn(_prev: { error?: string } | undefined, form: FormData): Promise<{ error?: string }> {
  const token = String(form.get('token') ?? '').trim();
  if (!token || !isAdminToken(token)) return { error: 'That token is not valid.' };
  const jar = await cookies();
  jar.set(SESSION_COOKIE, sessionValue(), { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 7 });
  redirect('/');
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/login');
}

export async function scaleProcessType(
  appName: string,
  type: string,
  quantity: number,
): Promise<{ ok: true; quantity: number } | { ok: false; error: string }> {
  const actor = await requireSession();
  try {
    const result = await updateFormation(webContext(), appName, type, { quantity }, actor);
    return { ok: true, quantity: result.quantity };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.message };
    throw error;
  }
}
