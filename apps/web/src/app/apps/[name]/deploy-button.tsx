'use client';

import { useState } from 'react';
import { deployApp } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { fieldClass, primaryButton } from '../../ui';
import { useAction } from '../../use-action';

/** Deploys the tracked branch's head, or a branch, tag or commit typed in. */
export function DeployButton({ app, branch, canDeploy }: { app: string; branch: string; canDeploy: boolean }) {
  const [ref, setRef] = useState('');
  const { run, error, pending } = useAction();
  const title = roleTitle(canDeploy, 'app.deploy');
  return (
    <form
      className="flex w-full flex-wrap items-center gap-2 sm:w-auto"
      data-testid="deploy-form"
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
        disabled={!canDeploy}
        title={title}
        className={`min-w-0 flex-1 font-mono sm:w-40 sm:flex-none ${fieldClass}`}
      />
      <button type="submit" disabled={pending || !canDeploy} title={title} className={primaryButton}>
        {pending ? 'Deploying…' : 'Deploy'}
      </button>
      <FormError error={error} />
    </form>
  );
}
