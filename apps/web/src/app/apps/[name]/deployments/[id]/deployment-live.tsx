'use client';

import { useEffect, useRef, useState } from 'react';
import { StateBadge } from '../../../../state-badge';
import { cardBare, codeBlock, errorBanner, faintText, mutedText, sectionTitle } from '../../../../ui';
import { CancelButton } from '../../cancel-button';

interface Step {
  name: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  note: string | null;
}

export interface LiveDeployment {
  id: string;
  state: string;
  error: string | null;
  cancelRequested: boolean;
  waitingForTurn: boolean;
  release: { version: number } | null;
  steps: Step[];
}

const LIVE_STATES = ['queued', 'running', 'waiting'];

function duration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/**
 * A deployment as it happens, over one server-sent event stream: each step
 * with its start, duration and what it is waiting for, the build log as it is
 * written, and the outcome. Nothing polls; the running clock is local.
 */
export function DeploymentLive({ app, initial, canCancel }: { app: string; initial: LiveDeployment; canCancel: boolean }) {
  const [d, setD] = useState(initial);
  const [log, setLog] = useState('');
  const [stream, setStream] = useState<'loading' | 'live' | 'ended' | 'error'>('loading');
  const [now, setNow] = useState(() => Date.now());
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    const source = new EventSource(`/api/v1/apps/${encodeURIComponent(app)}/deployments/${initial.id}/events`);
    source.addEventListener('open', () => setStream('live'));
    source.addEventListener('deployment', (e) => setD(JSON.parse((e as MessageEvent).data) as LiveDeployment));
    source.addEventListener('log', (e) => {
      const { text } = JSON.parse((e as MessageEvent).data) as { text: string };
      setLog((before) => (before + text).slice(-500_000));
    });
    source.addEventListener('end', () => {
      setStream('ended');
      source.close();
    });
    source.addEventListener('error', () => {
      // The browser reconnects by itself while the stream is open; a closed one ended or was refused.
      if (source.readyState === EventSource.CLOSED) setStream((s) => (s === 'ended' ? s : 'error'));
    });
    return () => source.close();
  }, [app, initial.id]);

  const live = LIVE_STATES.includes(d.state);
  useEffect(() => {
    if (!live) return;
    const id = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(id);
  }, [live]);

  const length = log.length;
  useEffect(() => {
    const el = box.current;
    if (el && length >= 0) el.scrollTop = el.scrollHeight;
  }, [length]);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <span data-testid="deployment-state">
          <StateBadge state={d.state} />
        </span>
        {d.release ? <span className={`text-sm ${mutedText}`}>release v{d.release.version}</span> : null}
        {live ? <CancelButton app={app} deploymentId={d.id} requested={d.cancelRequested} canCancel={canCancel} /> : null}
      </div>
      {d.waitingForTurn ? <p className={`text-sm ${mutedText}`}>Waiting for the deployment ahead of it to finish.</p> : null}
      {d.error ? (
        <p role="alert" className={`whitespace-pre-wrap break-words ${errorBanner}`} data-testid="deployment-error">
          {d.error}
        </p>
      ) : null}
      <ol className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6" data-testid="steps">
        {d.steps.map((step) => {
          const running = step.startedAt && !step.finishedAt && live;
          const elapsed = running ? Math.max(0, now - Date.parse(step.startedAt as string)) : null;
          return (
            <li key={step.name} className={`min-w-0 space-y-1 p-2 text-xs ${cardBare}`} data-testid={`step-${step.name}`}>
              <div className="font-medium">{step.name.replace('_', ' ')}</div>
              <StateBadge state={step.state === 'done' ? 'succeeded' : step.state} />
              <div className={faintText}>
                {step.durationMs !== null ? duration(step.durationMs) : elapsed !== null ? `${duration(elapsed)} so far` : ''}
              </div>
              {step.note ? (
                <div className={`break-words ${mutedText}`} data-testid={`step-${step.name}-note`}>
                  {step.note}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      <section>
        <h2 className={sectionTitle}>Build log</h2>
        <div className={`mb-1 text-xs ${faintText}`} data-testid="build-log-state">
          {stream === 'live' ? 'live' : stream === 'loading' ? 'loading…' : stream === 'error' ? 'could not follow' : 'complete'}
        </div>
        <pre ref={box} role="log" aria-label="build-log" data-testid="build-log" className={`max-h-[32rem] ${codeBlock}`}>
          {log || (stream === 'loading' ? '' : 'Nothing yet.')}
        </pre>
      </section>
    </div>
  );
}
