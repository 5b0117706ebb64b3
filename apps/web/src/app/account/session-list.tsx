'use client';

import { FormError } from '../form-error';
import { revokeOtherSessions, revokeSession } from '../session-actions';
import { dangerButton, faintText, listCard, secondaryButton } from '../ui';
import { useAction } from '../use-action';

type Session = { id: string; ip: string | null; userAgent: string | null; since: string; expiresAt: string };

export function SessionList({ sessions, current }: { sessions: Session[]; current: string | null }) {
  const { run, error, pending } = useAction();
  return (
    <div className="space-y-2">
      <ul className={`text-sm ${listCard}`} data-testid="sessions">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 px-4 py-2">
            <span className="min-w-0 break-words">
              {[
                s.ip || 'unknown address',
                s.userAgent ? browserName(s.userAgent) : null,
                `since ${s.since.slice(0, 16).replace('T', ' ')}`,
                `until ${s.expiresAt.slice(0, 10)}`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
            {s.id === current ? (
              <span className={`text-xs ${faintText}`}>this browser</span>
            ) : (
              <button type="button" disabled={pending} className={dangerButton} onClick={() => run(() => revokeSession(s.id))}>
                End session
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" disabled={pending} className={secondaryButton} onClick={() => run(() => revokeOtherSessions())}>
        Sign out everywhere else
      </button>
      <FormError error={error} />
    </div>
  );
}

/** "Chrome 131 on Linux" out of a user agent string, else its first words. */
function browserName(userAgent: string): string {
  const browser = /(Firefox|Edg|Chrome|Safari|curl|node)[/ ](\d+)/.exec(userAgent);
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(userAgent)?.[1];
  if (!browser) return userAgent.slice(0, 40);
  const name = browser[1] === 'Edg' ? 'Edge' : browser[1];
  return `${name} ${browser[2]}${os ? ` on ${os === 'Mac OS X' ? 'macOS' : os}` : ''}`;
}
