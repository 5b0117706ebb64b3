import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { pageSessionUser } from '@/server/caller';
import './globals.css';
import { SignOutButton } from './sign-out-button';
import { faintText } from './ui';

export const metadata: Metadata = { title: 'paas', description: 'Your own Heroku, on your own cloud' };

// The browser's own parts (scrollbars, the phone's toolbar) follow the system's light or dark setting too.
export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0f172a' },
  ],
};

const navLink = 'text-slate-600 hover:text-slate-900 hover:underline dark:text-slate-300 dark:hover:text-white';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await pageSessionUser().catch(() => null);
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <a href="/" className="font-semibold tracking-tight">
              paas
            </a>
            {user ? (
              <nav className="flex min-w-0 flex-wrap items-center gap-x-4 gap-y-1 text-sm" data-testid="main-nav">
                <a href="/team" className={navLink}>
                  Team
                </a>
                <a href="/audit" className={navLink}>
                  Audit log
                </a>
                <a href="/cloud-accounts" className={navLink}>
                  Cloud accounts
                </a>
                <a href="/github" className={navLink}>
                  GitHub
                </a>
                <a href="/doctor" className={navLink}>
                  Doctor
                </a>
                <a href="/account" className={`${navLink} max-w-full truncate`} data-testid="me">
                  {user.email}
                </a>
                <SignOutButton className={navLink} />
              </nav>
            ) : (
              <span className={`text-xs ${faintText}`}>self-hosted platform</span>
            )}
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
      </body>
    </html>
  );
}
