'use client';

import { useState } from 'react';
import { rollbackTo } from '../../actions';
import { useAction } from '../../use-action';

/** Asks first, naming the exact commit the app will run again. */
export function RollbackButton(props: { app: string; version: number; commitSha: string | null; description: string }) {
  const [confirming, setConfirming] = useState(false);
  const { run, error, pending } = useAction();
  const commit = props.commitSha ? props.commitSha.slice(0, 12) : 'unknown commit';
  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => setConfirming(true)}
        className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100"
      >
        Roll back to v{props.version}
      </button>
    );
  }
  return (
    <div
      role="dialog"
      aria-label={`Roll back to v${props.version}`}
      className="rounded border border-amber-300 bg-amber-50 p-2 text-left text-xs"
    >
      <p>
        Run v{props.version} again: commit <code className="font-mono">{commit}</code> with the config it had ({props.description}
        ).
      </p>
      <div className="mt-2 flex gap-2">
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
        <button type="button" onClick={() => setConfirming(false)} className="rounded border border-slate-300 px-2 py-1">
          Keep the current release
        </button>
      </div>
      {error ? (
        <p role="alert" className="mt-1 text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
