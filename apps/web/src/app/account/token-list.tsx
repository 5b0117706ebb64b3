'use client';

import { FormError } from '../form-error';
import { revokeTokenAction } from '../session-actions';
import { dangerButton } from '../ui';
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
  if (tokens.length === 0) return <p className="text-sm text-slate-500">No tokens yet.</p>;
  return (
    <div>
      <table className="w-full text-sm" data-testid="tokens">
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className="border-t border-slate-200">
              <td className="py-2">{t.name}</td>
              <td>
                <code>{t.hint}</code>
              </td>
              <td>{t.role}</td>
              <td>{t.state}</td>
              <td>{t.expiresAt ? `expires ${t.expiresAt.slice(0, 10)}` : ''}</td>
              <td>{t.lastUsedAt ? `used ${t.lastUsedAt.slice(0, 16).replace('T', ' ')}` : 'never used'}</td>
              <td className="text-right">
                {t.state === 'active' ? (
                  <button
                    type="button"
                    disabled={pending}
                    className={dangerButton}
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
      <FormError error={error} />
    </div>
  );
}
