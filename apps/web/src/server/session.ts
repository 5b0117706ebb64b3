import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { isValidSession, SESSION_COOKIE } from './auth';

/** Dashboard pages and actions call this first; without a session, to the sign-in page. */
export async function requireSession(): Promise<{ type: 'admin' }> {
  const jar = await cookies();
  if (!isValidSession(jar.get(SESSION_COOKIE)?.value)) redirect('/login');
  return { type: 'admin' };
}
