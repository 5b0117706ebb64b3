import type { CheckStatus } from '@paas/core';
import { pageCaller } from '@/server/caller';
import { codeBlock, emptyState, errorText, faintText, listCard, mutedText, pageTitle, successText } from '../ui';
import { doctorReport, mayRunDoctor } from './run-doctor';

export const dynamic = 'force-dynamic';

const BADGE: Record<CheckStatus, string> = {
  ok: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300',
  warn: 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300',
  fail: 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300',
};

const SUMMARY: Record<CheckStatus, { text: string; className: string }> = {
  ok: { text: 'Everything checked is in order.', className: successText },
  warn: { text: 'Working, with warnings worth a look.', className: mutedText },
  fail: { text: 'Something is broken: each failed check says how to fix it.', className: errorText },
};

/** The platform's check-up (`paas doctor`): database, Redis, key, disk, GitHub App, cloud accounts, DNS. */
export default async function DoctorPage() {
  const caller = await pageCaller();
  if (!mayRunDoctor(caller)) {
    return (
      <div className="space-y-6">
        <h1 className={pageTitle}>Doctor</h1>
        <p className={emptyState} data-testid="doctor-forbidden">
          The platform&apos;s check-up is for the admins of the platform&apos;s own team.
        </p>
      </div>
    );
  }
  const report = await doctorReport();
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className={pageTitle}>Doctor</h1>
        <p className={`text-sm ${SUMMARY[report.status].className}`} data-testid="doctor-summary">
          {SUMMARY[report.status].text}
        </p>
        <p className={`text-xs ${faintText}`}>
          The same checks as <code>paas doctor</code>, run now by the dashboard&apos;s server.
        </p>
      </div>
      <ul className={listCard} data-testid="doctor-checks">
        {report.checks.map((c) => (
          <li key={c.id} className="space-y-2 px-4 py-3" data-testid={`doctor-check-${c.id}`} data-status={c.status}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 className="font-medium">{c.title}</h2>
              <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${BADGE[c.status]}`}>{c.status}</span>
            </div>
            <p className={`text-sm break-words ${mutedText}`}>{c.detail}</p>
            {c.fix ? (
              <div>
                <p className={`text-xs ${faintText}`}>Fix:</p>
                <pre className={`${codeBlock} whitespace-pre-wrap break-words`}>
                  <code>{c.fix}</code>
                </pre>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
