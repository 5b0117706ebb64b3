import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { pageSessionUser } from '@/server/caller';
import './globals.css';
import { SignOutButton } from './sign-out-button';

export const metadata: Metadata = { title: 'paas', description: 'Your own Heroku, on your own cloud' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await pageSessionUser().catch(() => null);
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-6 py-3">
            <a href="/" className="font-semibold tracking-tight">
              paas
            </a>
            {user ? (
              <nav className="flex flex-wrap items-center gap-4 text-sm">
                <a href="/team" className="text-slate-600 hover:underline">
                  Team
                </a>
                <a href="/audit" className="text-slate-600 hover:underline">
                  Audit log
                </a>
                <a href="/cloud-accounts" className="text-slate-600 hover:underline">
                  Cloud accounts
                </a>
                <a href="/github" className="text-slate-600 hover:underline">
                  GitHub
                </a>
                <a href="/account" className="text-slate-600 hover:underline" data-testid="me">
                  {user.email}
                </a>
                <SignOutButton />
              </nav>
            ) : (
              <span className="text-xs text-slate-500">self-hosted platform</span>
            )}
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
