'use client';

import { useActionState } from 'react';
import type { ActionResult } from './action-result';
import { FormError } from './form-error';
import { inputClass, primaryButton } from './ui';

type Action = (prev: ActionResult | undefined, form: FormData) => Promise<ActionResult>;

/** A new account: email, name and password (and, on first start, the setup token). */
export function AccountForm({
  action,
  withSetupToken = false,
  submitLabel,
  email,
}: {
  action: Action;
  withSetupToken?: boolean;
  submitLabel: string;
  email?: string | null;
}) {
  const [state, run, pending] = useActionState(action, undefined);
  return (
    <form action={run} className="space-y-3">
      {withSetupToken ? (
        <>
          <label className="block text-sm font-medium" htmlFor="setupToken">
            Setup token
          </label>
          <input id="setupToken" name="setupToken" type="password" required className={inputClass} />
        </>
      ) : null}
      <label className="block text-sm font-medium" htmlFor="email">
        Email
      </label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        required
        defaultValue={email ?? ''}
        readOnly={!!email}
        className={inputClass}
      />
      <label className="block text-sm font-medium" htmlFor="name">
        Name
      </label>
      <input id="name" name="name" autoComplete="name" className={inputClass} />
      <label className="block text-sm font-medium" htmlFor="password">
        Password (10 characters or more)
      </label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={10}
        required
        className={inputClass}
      />
      <FormError error={state && !state.ok ? state.error : null} />
      <button type="submit" disabled={pending} className={`w-full ${primaryButton}`}>
        {pending ? 'Working…' : submitLabel}
      </button>
    </form>
  );
}
