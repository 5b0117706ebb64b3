import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = { title: 'paas', description: 'Your own Heroku, on your own cloud' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl items-center justify-between px-6 py-3">
            <a href="/" className="font-semibold tracking-tight">
              paas
            </a>
            <nav className="flex items-center gap-4 text-sm">
              <a href="/cloud-accounts" className="text-slate-600 hover:underline">
                Cloud accounts
              </a>
              <a href="/github" className="text-slate-600 hover:underline">
                GitHub
              </a>
              <span className="text-xs text-slate-500">self-hosted platform</span>
            </nav>
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
