'use client';

import type { DomainView } from '@paas/core';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { addAppDomain, removeAppDomain } from '../../actions';

const STATUS_TEXT: Record<DomainView['status'], string> = {
  pending: 'waiting for its certificate',
  active: 'served',
  failed: 'failed',
  removing: 'being removed',
};

/**
 * Custom domains: add one, see the DNS records to create (the certificate's
 * validation and where the name must point) and its state as it changes; remove it.
 */
export function Domains({ app, domains }: { app: string; domains: DomainView[] }) {
  const router = useRouter();
  const [hostname, setHostname] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (work: () => Promise<{ ok: boolean; error?: string }>, after?: () => void) =>
    startTransition(async () => {
      const result = await work();
      if (!result.ok) return setError(result.error ?? 'Something went wrong');
      setError(null);
      after?.();
      router.refresh();
    });

  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="domains">
      {domains.length === 0 ? <p className="text-sm text-slate-600">No custom domains yet.</p> : null}
      {domains.map((d) => (
        <div
          key={d.hostname}
          className="space-y-1 border-b border-slate-100 pb-3 last:border-0"
          data-testid={`domain-${d.hostname}`}
        >
          <div className="flex items-center justify-between gap-2">
            <span className="font-mono text-sm">{d.hostname}</span>
            <span className="text-xs text-slate-600" data-testid={`domain-status-${d.hostname}`}>
              {STATUS_TEXT[d.status]}
            </span>
            <button
              type="button"
              disabled={pending || d.status === 'removing'}
              onClick={() => run(() => removeAppDomain(app, d.hostname))}
              className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50"
            >
              Remove
            </button>
          </div>
          {d.error ? <p className="text-xs text-red-700">{d.error}</p> : null}
          {d.dnsRecords.length > 0 && d.status !== 'active' ? (
            <table className="w-full text-xs">
              <caption className="text-left text-slate-600">Create these DNS records:</caption>
              <tbody>
                {d.dnsRecords.map((r) => (
                  <tr key={`${r.name}${r.value}`} className="font-mono">
                    <td className="pr-2">{r.type}</td>
                    <td className="pr-2 break-all">{r.name}</td>
                    <td className="break-all">{r.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ))}
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          run(
            () => addAppDomain(app, hostname),
            () => setHostname(''),
          );
        }}
      >
        <input
          value={hostname}
          onChange={(e) => setHostname(e.target.value)}
          placeholder="www.example.com"
          aria-label="custom domain"
          className="flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
        />
        <button
          type="submit"
          disabled={pending || hostname.trim() === ''}
          className="rounded bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-50"
        >
          Add domain
        </button>
      </form>
      {error ? (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
