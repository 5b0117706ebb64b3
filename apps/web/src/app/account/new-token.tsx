'use client';

import { useState } from 'react';
import { FormError } from '../form-error';
import { createTokenAction } from '../session-actions';
import { formRow, inlineCode, inputClass, labelClass, primaryButton } from '../ui';
import { useAction } from '../use-action';

export function NewToken({ roles }: { roles: string[] }) {
  const { run, error, pending } = useAction();
  const [shown, setShown] = useState<{ token: string; name: string } | null>(null);
  return (
    <form
      className={formRow}
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
      <label className={`${labelClass} w-full sm:w-auto`}>
        Token name
        <input name="tokenName" required maxLength={60} className={inputClass} />
      </label>
      <label className={`${labelClass} w-full sm:w-auto`}>
        Expires in (days)
        <input name="days" type="number" min={1} max={365} defaultValue={90} className={inputClass} />
      </label>
      <label className={`${labelClass} w-full sm:w-auto`}>
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
      <button type="submit" disabled={pending} className={`w-full sm:w-auto ${primaryButton}`}>
        Create token
      </button>
      <FormError error={error} />
      {shown ? (
        <p className="w-full text-sm break-all" role="status">
          Token {shown.name}, shown only now:{' '}
          <code className={inlineCode} data-testid="new-token">
            {shown.token}
          </code>
        </p>
      ) : null}
    </form>
  );
}
