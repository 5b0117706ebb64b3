'use client';

import { formationMonthlyCost, formatUsd } from '@paas/core/costs';
import { useEffect, useRef, useState, useTransition } from 'react';
import { resizeProcessType, scaleProcessType } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { faintText, fieldClass, mutedText } from '../../ui';
import { useAction } from '../../use-action';

const SLIDER_MAX = 10;

// The slider commits when it is released (pointer up, key up), or once the
// user stops moving it, so dragging from 1 to 8 is one formation change, not seven.
const COMMIT_DELAY_MS = 400;

type Autoscaling = { metric: 'cpu' | 'requests'; target: number; min: number; max: number };

export function ScaleSlider(props: {
  app: string;
  type: string;
  quantity: number;
  healthy: number;
  starting: number;
  failed: number;
  size: string;
  /** The sizes the app's cloud account offers. */
  sizes: string[];
  /** Target tracking within min..max, or null for a fixed count. */
  autoscaling: Autoscaling | null;
  /** The count the cloud wants now (the autoscaler's choice); null when nothing runs. */
  desired: number | null;
  /** AWS: what sizes run on and who shares the load balancer, to price the position; null on this machine. */
  pricing: { region: string; instanceTypes: Record<string, string>; appsOnLoadBalancer: number } | null;
  /** Whether the caller's role may scale and resize (else both are shown disabled). */
  canScale: boolean;
}) {
  // With autoscaling, the slider shows the count the cloud has chosen; moving it asks for a count now.
  const shown = props.autoscaling && props.desired !== null ? props.desired : props.quantity;
  const [value, setValue] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const resize = useAction();
  const dirty = useRef(false);

  useEffect(() => {
    if (!dirty.current) setValue(shown);
  }, [shown]);

  const pendingValue = useRef<number | null>(null);
  const commit = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const next = pendingValue.current;
    if (next === null) return;
    pendingValue.current = null;
    startTransition(async () => {
      const result = await scaleProcessType(props.app, props.type, next);
      dirty.current = false;
      setError(result.ok ? null : result.error);
      // Refused: back to what the platform keeps.
      if (!result.ok) setValue(shown);
    });
  };
  function change(next: number) {
    dirty.current = true;
    setValue(next);
    pendingValue.current = next;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(commit, COMMIT_DELAY_MS);
  }
  const auto = props.autoscaling;

  const title = roleTitle(props.canScale, 'app.scale');
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2" data-testid={`formation-${props.type}`}>
      <div className="w-24 font-mono text-sm">{props.type}</div>
      <input
        type="range"
        min={auto ? auto.min : 0}
        max={auto ? auto.max : Math.max(SLIDER_MAX, value)}
        value={value}
        aria-label={`${props.type} quantity`}
        disabled={!props.canScale}
        title={title}
        onChange={(e) => change(Number(e.target.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        className="h-8 min-w-32 flex-1 cursor-pointer touch-pan-y accent-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 dark:accent-indigo-500"
      />
      <div className="w-full text-sm sm:w-72 sm:text-right">
        <span className="font-semibold" data-testid={`quantity-${props.type}`}>
          {value}
        </span>{' '}
        ×{' '}
        <select
          aria-label={`${props.type} instance size`}
          value={props.size}
          disabled={resize.pending || !props.canScale}
          title={title}
          onChange={(e) => {
            const size = e.target.value;
            resize.run(
              () => resizeProcessType(props.app, props.type, size),
              (id) => (id ? `/apps/${props.app}/deployments/${id}` : undefined),
            );
          }}
          className={fieldClass}
        >
          {props.sizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>{' '}
        ·{' '}
        <span data-testid={`healthy-${props.type}`} className="text-emerald-700 dark:text-emerald-400">
          {props.healthy} healthy
        </span>
        {props.starting > 0 ? (
          <span data-testid={`starting-${props.type}`} className="ml-1 text-sky-700 dark:text-sky-400">
            · {props.starting} starting
          </span>
        ) : null}
        {props.failed > 0 ? <span className="ml-1 text-red-700 dark:text-red-400">· {props.failed} failing</span> : null}
        {pending ? <span className={`ml-2 text-xs ${faintText}`}>saving…</span> : null}
        {auto ? (
          <div className={`mt-1 text-xs ${mutedText}`} data-testid={`autoscaling-state-${props.type}`}>
            autoscaling on {auto.metric === 'cpu' ? `CPU ${auto.target} %` : `${auto.target} requests/instance/min`}, {auto.min}–
            {auto.max}
            {props.desired !== null ? ` · the cloud wants ${props.desired} now` : ''}
          </div>
        ) : null}
        {props.pricing ? (
          <MonthlyCost pricing={props.pricing} size={props.size} quantity={value} web={props.type === 'web'} />
        ) : null}
      </div>
      <FormError error={error ?? resize.error} />
    </div>
  );
}

/** The slider's position priced as it moves: on-demand list prices, the app's share of the load balancer. */
function MonthlyCost(props: {
  pricing: { region: string; instanceTypes: Record<string, string>; appsOnLoadBalancer: number };
  size: string;
  quantity: number;
  web: boolean;
}) {
  const instanceType = props.pricing.instanceTypes[props.size] ?? '';
  const cost = formationMonthlyCost({
    region: props.pricing.region,
    instanceType,
    quantity: props.quantity,
    appsOnLoadBalancer: props.pricing.appsOnLoadBalancer,
    usesLoadBalancer: props.web,
  });
  return (
    <div className={`mt-1 text-xs ${mutedText}`} data-testid="monthly-cost">
      ≈ {formatUsd(cost.total)}/month · {props.quantity} × {instanceType} {formatUsd(cost.instances)}, load balancer share{' '}
      {formatUsd(cost.loadBalancerShare)} (on-demand, {props.pricing.region}, prices of {cost.asOf}; traffic extra)
    </div>
  );
}
