'use client';

import { useState } from 'react';
import { setAutoscaling } from '../../actions';
import { FormError } from '../../form-error';
import { inputClass, secondaryButton } from '../../ui';
import { useAction } from '../../use-action';

type Autoscaling = { metric: 'cpu' | 'requests'; target: number; min: number; max: number };

const DEFAULTS: Record<Autoscaling['metric'], number> = { cpu: 60, requests: 600 };

/**
 * Target tracking for one process type, next to its slider: off (a fixed
 * count) or on, holding CPU or requests per instance at a target within
 * min/max. The server checks the same rules; its message is shown as is.
 */
export function AutoscalingForm(props: {
  app: string;
  type: string;
  quantity: number;
  autoscaling: Autoscaling | null;
  disabled?: boolean;
  disabledReason?: string;
}) {
  const current = props.autoscaling;
  const [on, setOn] = useState(current !== null);
  const [metric, setMetric] = useState<Autoscaling['metric']>(current?.metric ?? (props.type === 'web' ? 'requests' : 'cpu'));
  const [target, setTarget] = useState(String(current?.target ?? DEFAULTS[metric]));
  const [min, setMin] = useState(String(current?.min ?? Math.max(1, props.quantity)));
  const [max, setMax] = useState(String(current?.max ?? Math.max(2, props.quantity * 2)));
  const save = useAction();
  const id = `autoscaling-${props.type}`;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const value = on ? { metric, target: Number(target), min: Number(min), max: Number(max) } : null;
    save.run(() => setAutoscaling(props.app, props.type, value));
  };

  return (
    <form
      onSubmit={submit}
      className="mt-2 flex flex-wrap items-end gap-3 text-sm"
      data-testid={id}
      aria-label={`${props.type} autoscaling`}
    >
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={on}
          disabled={props.disabled}
          title={props.disabled ? props.disabledReason : undefined}
          onChange={(e) => setOn(e.target.checked)}
        />
        Autoscale
      </label>
      {on ? (
        <>
          <label className="flex flex-col">
            <span className="text-xs text-slate-500 dark:text-slate-400">on</span>
            <select
              aria-label={`${props.type} autoscaling metric`}
              value={metric}
              disabled={props.disabled}
              onChange={(e) => {
                const next = e.target.value as Autoscaling['metric'];
                setMetric(next);
                setTarget(String(DEFAULTS[next]));
              }}
              className={`${inputClass} w-auto py-1`}
            >
              <option value="cpu">CPU %</option>
              {props.type === 'web' ? <option value="requests">requests / instance / min</option> : null}
            </select>
          </label>
          <NumberField
            label="target"
            name={`${props.type} autoscaling target`}
            value={target}
            onChange={setTarget}
            disabled={props.disabled}
          />
          <NumberField
            label="min"
            name={`${props.type} autoscaling min`}
            value={min}
            onChange={setMin}
            disabled={props.disabled}
          />
          <NumberField
            label="max"
            name={`${props.type} autoscaling max`}
            value={max}
            onChange={setMax}
            disabled={props.disabled}
          />
        </>
      ) : null}
      <button
        type="submit"
        className={secondaryButton}
        disabled={props.disabled || save.pending}
        title={props.disabled ? props.disabledReason : undefined}
      >
        {save.pending ? 'Saving…' : 'Save autoscaling'}
      </button>
      {save.done && !save.pending ? <span className="text-xs text-emerald-700 dark:text-emerald-400">Saved</span> : null}
      <FormError error={save.error} />
    </form>
  );
}

function NumberField(props: { label: string; name: string; value: string; onChange: (v: string) => void; disabled?: boolean }) {
  return (
    <label className="flex flex-col">
      <span className="text-xs text-slate-500 dark:text-slate-400">{props.label}</span>
      <input
        type="number"
        inputMode="numeric"
        aria-label={props.name}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
        className={`${inputClass} w-24 py-1`}
      />
    </label>
  );
}
