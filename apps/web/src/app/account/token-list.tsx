'use client';

import { FormError } from '../form-error';
import { revokeTokenAction } from '../session-actions';
import { cell, emptyState, faintText, inlineCode, smallDangerButton, tableBody, tableClass, tableWrap } from '../ui';
import { useAction } from '../use-action';

type Token = {
  id: string;
  name: string;
  hint: string;
  role: string;
  state: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
};

export function TokenList({ tokens }: { tokens: Token[] }) {
  const { run, error, pending } = useAction();
  if (tokens.length === 0) {
    return (
      <p className={emptyState} data-testid="tokens-empty">
        No tokens yet. Make one above for a script, CI or git push (the token is the password); it is shown only once.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <div className={tableWrap}>
        <table className={tableClass} data-testid="tokens">
          <tbody className={tableBody}>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td className={`${cell} font-medium`}>{t.name}</td>
                <td className={cell}>
                  <code className={inlineCode}>{t.hint}</code>
                </td>
                <td className={cell}>{t.role}</td>
                <td className={cell}>{t.state}</td>
                <td className={`${cell} whitespace-nowrap ${faintText}`}>
                  {t.expiresAt ? `expires ${t.expiresAt.slice(0, 10)}` : ''}
                </td>
                <td className={`${cell} whitespace-nowrap ${faintText}`}>
                  {t.lastUsedAt ? `used ${t.lastUsedAt.slice(0, 16).replace('T', ' ')}` : 'never used'}
                </td>
                <td className={`${cell} text-right whitespace-nowrap`}>
                  {t.state === 'active' ? (
                    <button
                      type="button"
                      disabled={pending}
                      className={smallDangerButton}
                      onClick={() => run(() => revokeTokenAction(t.id))}
                    >
                      Revoke {t.name}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError error={error} />
    </div>
  );
}
