'use client';

import { useActionState } from 'react';
import type { ActionResult } from '../../action-result';
import { FormError } from '../../form-error';
import { primaryButton } from '../../ui';

export function JoinButton({
  action,
  email,
}: {
  action: (prev: ActionResult | undefined, form: FormData) => Promise<ActionResult>;
  email: string;
}) {
  const [state, run, pending] = useActionState(action, undefined);
  return (
    <form action={run} className="space-y-3">
      <p className="text-sm">Signed in as {email}.</p>
      <FormError error={state && !state.ok ? state.error : null} />
      <button type="submit" disabled={pending} className={`w-full ${primaryButton}`}>
        Join team
      </button>
    </form>
  );
}
