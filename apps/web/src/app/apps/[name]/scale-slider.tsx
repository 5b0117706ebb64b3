'use client';

import { formationMonthlyCost, formatUsd } from '@paas/core/costs';
import { INSTANCE_SIZES } from '@paas/core/instance-sizes';
import { useEffect, useRef, useState, useTransition } from 'react';
import { resizeProcessType, scaleProcessType } from '../../actions';
import { FormError } from '../../form-error';
import { useAction } from '../../use-action';

const SLIDER_MAX = 10;

// The slider commits once the user stops moving it, so dragging from 1 to 8
// is one formation change, not seven.
const COMMIT_DELAY_MS = 400;

export function ScaleSlider(props: {
  app: string;
  type: string;
  quantity: number;
  healthy: number;
  starting: number;
  failed: number;
  size: string;
  /** AWS: what sizes run on and who shares the load balancer, to price the position; null on this machine. */
  pricing: { region: string; instanceTypes: Record<string, string>; appsOnLoadBalancer: number } | null;
}) {
  const [value, setValue] = useState(props.quantity);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const resize = useAction();
  const dirty = useRef(false);

  useEffect(() => {
    if (!dirty.current) setValue(props.quantity);
  }, [props.quantity]);

  function change(next: number) {
    dirty.current = true;
    setValue(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      startTransition(async () => {
        const result = await scaleProcessType(props.app, props.type, next);
        dirty.current = false;
        setError(result.ok ? null : result.error);
        // Refused: back to what the platform keeps.
        if (!result.ok) setValue(props.quantity);
      });
    }, COMMIT_DELAY_MS);
  }

  return (
    <div className="flex flex-wrap items-center gap-4" data-testid={`formation-${props.type}`}>
      <div className="w-24 font-mono text-sm">{props.type}</div>
      <input
        type="range"
        min={0}
        max={Math.max(SLIDER_MAX, value)}
        value={value}
        aria-label={`${props.type} quantity`}
        onChange={(e) => change(Number(e.target.value))}
        className="flex-1 accent-indigo-600"
      />
      <div className="w-72 text-right text-sm">
        <span className="font-semibold" data-testid={`quantity-${props.type}`}>
          {value}
        </span>{' '}
        ×{' '}
        <select
          aria-label={`${props.type} instance size`}
          value={props.size}
          disabled={resize.pending}
          onChange={(e) => {
            const size = e.target.value;
            resize.run(
              () => resizeProcessType(props.app, props.type, size),
              (id) => (id ? `/apps/${props.app}/deployments/${id}` : undefined),
            );
          }}
          className="rounded border border-slate-300 bg-white px-1 text-sm"
        >
          {INSTANCE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>{' '}
        ·{' '}
        <span data-testid={`healthy-${props.type}`} className="text-emerald-700">
          {props.healthy} healthy
        </span>
        {props.starting > 0 ? (
          <span data-testid={`starting-${props.type}`} className="ml-1 text-sky-700">
            · {props.starting} starting
          </span>
        ) : null}
        {props.failed > 0 ? <span className="ml-1 text-red-700">· {props.failed} failing</span> : null}
        {pending ? <span className="ml-2 text-xs text-slate-400">saving…</span> : null}
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
    <div className="mt-1 text-xs text-slate-600" data-testid="monthly-cost">
      ≈ {formatUsd(cost.total)}/month · {props.quantity} × {instanceType} {formatUsd(cost.instances)}, load balancer share{' '}
      {formatUsd(cost.loadBalancerShare)} (on-demand, {props.pricing.region}, prices of {cost.asOf}; traffic extra)
    </div>
  );
}
