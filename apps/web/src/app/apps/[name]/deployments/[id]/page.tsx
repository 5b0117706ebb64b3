import { getDeployment, isAppError, isLive } from '@paas/core';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { pageAppCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { StateBadge } from '../../../../state-badge';
import { AutoRefresh } from '../../auto-refresh';
import { CancelButton } from '../../cancel-button';
import { LogStream } from '../../log-stream';

export const dynamic = 'force-dynamic';

function duration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

export default async function DeploymentPage({ params }: { params: Promise<{ name: string; id: string }> }) {
  const { name, id } = await params;
  await pageAppCaller(name);
  let d: Awaited<ReturnType<typeof getDeployment>>;
  try {
    d = await getDeployment(webContext(), name, id);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  const live = isLive(d.state);
  return (
    <div className="space-y-6">
      {live ? <AutoRefresh everyMs={1000} /> : null}
      <p className="text-sm">
        <Link href={`/apps/${name}`} className="text-indigo-700 hover:underline">
          ← {name}
        </Link>
      </p>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold" data-testid="deployment-title">
            {d.description || d.kind}
          </h1>
          <p className="text-sm text-slate-600">
            {d.kind} · {d.trigger}
            {d.commitSha ? (
              <>
                {' '}
                · commit <code className="font-mono">{d.commitSha.slice(0, 12)}</code>
              </>
            ) : null}
            {d.release ? ` · release v${d.release.version}` : ''}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <span data-testid="deployment-state">
            <StateBadge state={d.state} />
          </span>
          {live ? <CancelButton app={name} deploymentId={d.id} requested={d.cancelRequested} /> : null}
        </div>
      </div>
      {d.waitingForTurn ? <p className="text-sm text-slate-600">Waiting for the deployment ahead of it to finish.</p> : null}
      {d.error ? (
        <p
          role="alert"
          className="rounded border border-red-200 bg-red-50 p-3 text-sm whitespace-pre-wrap text-red-800"
          data-testid="deployment-error"
        >
          {d.error}
        </p>
      ) : null}
      <ol className="grid gap-2 sm:grid-cols-3 lg:grid-cols-6" data-testid="steps">
        {d.steps.map((step) => (
          <li key={step.name} className="rounded border border-slate-200 bg-white p-2 text-xs">
            <div className="font-medium">{step.name.replace('_', ' ')}</div>
            <StateBadge state={step.state === 'done' ? 'succeeded' : step.state} />
            <div className="mt-1 text-slate-500">{duration(step.durationMs)}</div>
            {step.note ? <div className="mt-1 text-slate-500">{step.note}</div> : null}
          </li>
        ))}
      </ol>
      <section>
        <h2 className="mb-2 text-lg font-semibold">Build log</h2>
        <LogStream url={`/api/v1/apps/${name}/deployments/${d.id}/log?follow=1`} label="build-log" emptyText="Nothing yet." />
      </section>
    </div>
  );
}
