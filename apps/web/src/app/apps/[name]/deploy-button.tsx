'use client';

import { useState } from 'react';
import { deployApp } from '../../actions';
import { FormError } from '../../form-error';
import { useAction } from '../../use-action';

/** Deploys the tracked branch's head, or a branch, tag or commit typed in. */
export function DeployButton({ app, branch }: { app: string; branch: string }) {
  const [ref, setRef] = useState('');
  const { run, error, pending } = useAction();
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(
          () => deployApp(app, ref),
          (id) => `/apps/${app}/deployments/${id}`,
        );
      }}
    >
      <input
        value={ref}
        onChange={(e) => setRef(e.target.value)}
        placeholder={branch}
        aria-label="Branch, tag or commit to deploy"
        className="w-40 rounded border border-slate-300 px-2 py-1 font-mono text-sm"
      />
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
      >
        {pending ? 'Deploying…' : 'Deploy'}
      </button>
      <FormError error={error} />
    </form>
  );
}
