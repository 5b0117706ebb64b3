'use client';

import { useState } from 'react';
import { rollbackTo } from '../../actions';
import { roleTitle } from '../../role-title';
import { errorText, smallSecondaryButton } from '../../ui';
import { useAction } from '../../use-action';

/** Asks first, naming the exact commit the app will run again. */
export function RollbackButton(props: {
  app: string;
  version: number;
  commitSha: string | null;
  description: string;
  canRollback: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const { run, error, pending } = useAction();
  const commit = props.commitSha ? props.commitSha.slice(0, 12) : 'unknown commit';
  if (!confirming) {
    return (
      <button
        type="button"
        disabled={!props.canRollback}
        title={roleTitle(props.canRollback, 'app.rollback')}
        onClick={() => setConfirming(true)}
        className={`whitespace-nowrap ${smallSecondaryButton}`}
      >
        Roll back to v{props.version}
      </button>
    );
  }
  return (
    <div
      role="dialog"
      aria-label={`Roll back to v${props.version}`}
      className="min-w-56 rounded border border-amber-300 bg-amber-50 p-2 text-left text-xs text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
    >
      <p>
        Run v{props.version} again: commit <code className="font-mono">{commit}</code> with the config it had ({props.description}
        ).
      </p>
      <div className="mt-2 flex flex-wrap gap-2">
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            run(
              () => rollbackTo(props.app, props.version),
              (id) => `/apps/${props.app}/deployments/${id}`,
            )
          }
          className="rounded bg-amber-600 px-2 py-1 font-medium text-white hover:bg-amber-500 disabled:opacity-50"
        >
          {pending ? 'Rolling back…' : `Roll back to ${commit.slice(0, 7)}`}
        </button>
        <button
          type="button"
          onClick={() => setConfirming(false)}
          className="rounded border border-slate-300 bg-white px-2 py-1 text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          Keep the current release
        </button>
      </div>
      {error ? (
        <p role="alert" className={`mt-1 ${errorText}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
