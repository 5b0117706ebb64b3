import { can, getDeployment, isAppError } from '@paas/core';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { pageAppCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { inlineCode, linkClass, mutedText } from '../../../../ui';
import { DeploymentLive } from './deployment-live';

export const dynamic = 'force-dynamic';

export default async function DeploymentPage({ params }: { params: Promise<{ name: string; id: string }> }) {
  const { name, id } = await params;
  const caller = await pageAppCaller(name);
  let d: Awaited<ReturnType<typeof getDeployment>>;
  try {
    d = await getDeployment(webContext(), name, id);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href={`/apps/${name}`} className={linkClass}>
          ← {name}
        </Link>
      </p>
      <div>
        <h1 className="text-xl font-semibold break-words" data-testid="deployment-title">
          {d.description || d.kind}
        </h1>
        <p className={`mt-1 text-sm ${mutedText}`}>
          {d.kind} · {d.trigger}
          {d.commitSha ? (
            <>
              {' '}
              · commit <code className={inlineCode}>{d.commitSha.slice(0, 12)}</code>
            </>
          ) : null}
        </p>
      </div>
      <DeploymentLive
        app={name}
        canCancel={can(caller.role, 'deployment.cancel')}
        initial={{
          id: d.id,
          state: d.state,
          error: d.error,
          cancelRequested: d.cancelRequested,
          waitingForTurn: d.waitingForTurn,
          release: d.release,
          steps: d.steps,
        }}
      />
    </div>
  );
}
