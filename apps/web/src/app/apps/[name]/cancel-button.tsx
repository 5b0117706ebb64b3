'use client';

import { cancelDeploymentAction } from '../../actions';
import { useAction } from '../../use-action';

export function CancelButton({ app, deploymentId, requested }: { app: string; deploymentId: string; requested: boolean }) {
  const { run, error, pending } = useAction();
  if (requested) return <span className="text-xs text-slate-500">cancelling…</span>;
  return (
    <span>
      <button
        type="button"
        disabled={pending}
        onClick={() => run(() => cancelDeploymentAction(app, deploymentId))}
        className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50"
      >
        Cancel
      </button>
      {error ? (
        <span role="alert" className="ml-2 text-xs text-red-600">
          {error}
        </span>
      ) : null}
    </span>
  );
}
