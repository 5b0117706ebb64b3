'use client';

import { useState } from 'react';
import { FormError } from '../form-error';
import { inviteAction } from '../session-actions';
import { formRow, inlineCode, inputClass, primaryButton } from '../ui';
import { useAction } from '../use-action';

export function InviteForm({ roles }: { roles: string[] }) {
  const { run, error, pending } = useAction();
  const [link, setLink] = useState<string | null>(null);
  return (
    <form
      className={formRow}
      action={(form) =>
        run(
          () => inviteAction({ role: String(form.get('role')), email: String(form.get('email') ?? '') }),
          (url) => {
            setLink(url);
            return undefined;
          },
        )
      }
    >
      <div className="w-full space-y-1 text-sm sm:w-auto">
        <label htmlFor="invite-email">Email (optional)</label>
        <input id="invite-email" name="email" type="email" className={inputClass} />
      </div>
      <div className="w-full space-y-1 text-sm sm:w-auto">
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" name="role" defaultValue="viewer" className={inputClass}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={pending} className={`w-full sm:w-auto ${primaryButton}`}>
        Create invitation link
      </button>
      <FormError error={error} />
      {link ? (
        <p className="w-full text-sm">
          Send this link (it works once, for 7 days; it is shown only now):{' '}
          <code className={`break-all ${inlineCode}`} data-testid="invite-link">
            {link}
          </code>
        </p>
      ) : null}
    </form>
  );
}
