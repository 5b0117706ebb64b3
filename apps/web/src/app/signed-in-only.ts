import 'server-only';
import { redirect } from 'next/navigation';
import { pageSessionUser } from '@/server/caller';

/**
 * For the layout above a page with a loading skeleton: no session, straight to
 * the sign-in page. Here, before the skeleton streams, the redirect is an HTTP
 * 307; from inside the page it would come after the skeleton, in the browser.
 * The page checks its caller fully as before; the session is read once per request.
 */
export async function requireSession(): Promise<void> {
  if (!(await pageSessionUser())) redirect('/login');
}
