'use client';

import { useState } from 'react';
import { FormError } from '../form-error';
import { createTokenAction } from '../session-actions';
import { inputClass, primaryButton } from '../ui';
import { useAction } from '../use-action';

export function NewToken({ roles }: { roles: string[] }) {
  const { run, error, pending } = useAction();
  const [shown, setShown] = useState<{ token: string; name: string } | null>(null);
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      action={(form) =>
        run(
          () =>
            createTokenAction({
              name: String(form.get('tokenName')),
              expiresInDays: Number(form.get('days')),
              ...(form.get('role') ? { role: String(form.get('role')) } : {}),
            }),
          (created) => {
            setShown(created);
            return undefined;
          },
        )
      }
    >
      <label className="text-sm">
        Token name
        <input name="tokenName" required maxLength={60} className={inputClass} />
      </label>
      <label className="text-sm">
        Expires in (days)
        <input name="days" type="number" min={1} max={365} defaultValue={90} className={inputClass} />
      </label>
      <label className="text-sm">
        At most
        <select name="role" defaultValue="" className={inputClass}>
          <option value="">my role</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={pending} className={primaryButton}>
        Create token
      </button>
      <FormError error={error} />
      {shown ? (
        <p className="w-full text-sm" role="status">
          Token {shown.name}, shown only now: <code data-testid="new-token">{shown.token}</code>
        </p>
      ) : null}
    </form>
  );
}
