'use client';

import type { DomainView } from '@paas/core';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { addAppDomain, removeAppDomain } from '../../actions';
import { roleTitle } from '../../role-title';
import { card, errorText, fieldClass, mutedText, primaryButton, smallSecondaryButton } from '../../ui';

const CERTIFICATE_TEXT: Record<NonNullable<DomainView['certificate']>, string> = {
  requested: 'certificate requested',
  pending_validation: 'certificate waiting for its DNS validation record',
  issued: 'certificate issued',
  failed: 'certificate failed',
  expired: 'certificate expired',
};

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
export function Domains({ app, domains, canEdit }: { app: string; domains: DomainView[]; canEdit: boolean }) {
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

  const title = roleTitle(canEdit, 'domain.write');
  return (
    <div className={`space-y-3 ${card}`} data-testid="domains">
      {domains.length === 0 ? (
        <p className={`text-sm ${mutedText}`} data-testid="domains-empty">
          {canEdit
            ? 'No custom domains yet. Add your own hostname below, then create the DNS records it shows: the app is served there once its certificate is issued.'
            : 'No custom domains yet. Admins of the team add them here.'}
        </p>
      ) : null}
      {domains.map((d) => (
        <div
          key={d.hostname}
          className="space-y-1 border-b border-slate-200 pb-3 last:border-0 dark:border-slate-800"
          data-testid={`domain-${d.hostname}`}
        >
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span className="min-w-0 font-mono text-sm break-all">{d.hostname}</span>
            <span className={`text-xs ${mutedText}`} data-testid={`domain-status-${d.hostname}`}>
              {STATUS_TEXT[d.status]}
            </span>
            <button
              type="button"
              disabled={pending || d.status === 'removing' || !canEdit}
              title={title}
              onClick={() => run(() => removeAppDomain(app, d.hostname))}
              className={smallSecondaryButton}
            >
              Remove
            </button>
          </div>
          <p className={`text-xs ${mutedText}`} data-testid={`domain-certificate-${d.hostname}`}>
            {d.certificate ? CERTIFICATE_TEXT[d.certificate] : 'no certificate yet'}
          </p>
          {d.error ? <p className={`text-xs ${errorText}`}>{d.error}</p> : null}
          {d.dnsRecords.length > 0 && d.status !== 'active' ? (
            <table className="w-full text-xs">
              <caption className={`text-left ${mutedText}`}>Create these DNS records:</caption>
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
        className="flex flex-wrap gap-2"
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
          disabled={!canEdit}
          title={title}
          className={`w-full sm:w-auto sm:flex-1 ${fieldClass}`}
        />
        <button type="submit" disabled={pending || hostname.trim() === '' || !canEdit} title={title} className={primaryButton}>
          Add domain
        </button>
      </form>
      {error ? (
        <p className={`text-sm ${errorText}`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
