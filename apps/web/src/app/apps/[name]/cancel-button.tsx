'use client';

import { cancelDeploymentAction } from '../../actions';
import { roleTitle } from '../../role-title';
import { errorText, faintText, smallDangerButton } from '../../ui';
import { useAction } from '../../use-action';

export function CancelButton({
  app,
  deploymentId,
  requested,
  canCancel,
}: {
  app: string;
  deploymentId: string;
  requested: boolean;
  canCancel: boolean;
}) {
  const { run, error, pending } = useAction();
  if (requested) return <span className={`text-xs ${faintText}`}>cancelling…</span>;
  return (
    <span>
      <button
        type="button"
        disabled={pending || !canCancel}
        title={roleTitle(canCancel, 'deployment.cancel')}
        onClick={() => run(() => cancelDeploymentAction(app, deploymentId))}
        className={smallDangerButton}
      >
        Cancel
      </button>
      {error ? (
        <span role="alert" className={`ml-2 text-xs ${errorText}`}>
          {error}
        </span>
      ) : null}
    </span>
  );
}
