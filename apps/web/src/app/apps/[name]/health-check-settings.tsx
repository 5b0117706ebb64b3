'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { changeHealthCheck } from '../../actions';
import { roleTitle } from '../../role-title';
import { card, errorText, fieldClass, labelClass, mutedText, primaryButton } from '../../ui';

/** The path new web instances must answer (below 500) before they get traffic, and how often it is checked. */
export function HealthCheckSettings({
  app,
  path,
  intervalSeconds,
  canEdit,
}: {
  app: string;
  path?: string;
  intervalSeconds?: number;
  canEdit: boolean;
}) {
  const router = useRouter();
  const [form, setForm] = useState({ path: path ?? '', intervalSeconds: intervalSeconds ? String(intervalSeconds) : '' });
  const [message, setMessage] = useState<{ error?: string; saved?: boolean } | null>(null);
  const [pending, startTransition] = useTransition();
  const title = roleTitle(canEdit, 'app.settings');
  return (
    <form
      className={`flex flex-wrap items-end gap-3 text-sm ${card}`}
      data-testid="health-check"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await changeHealthCheck(app, form);
          setMessage(result.ok ? { saved: true } : { error: result.error });
          router.refresh();
        });
      }}
    >
      <label className={`${labelClass} w-full sm:w-auto`}>
        Health check path
        <input
          value={form.path}
          placeholder="/"
          disabled={!canEdit}
          title={title}
          onChange={(e) => setForm({ ...form, path: e.target.value })}
          className={`font-mono ${fieldClass}`}
        />
      </label>
      <label className={labelClass}>
        Every (seconds)
        <input
          value={form.intervalSeconds}
          placeholder="default"
          inputMode="numeric"
          disabled={!canEdit}
          title={title}
          onChange={(e) => setForm({ ...form, intervalSeconds: e.target.value })}
          className={`w-24 ${fieldClass}`}
        />
      </label>
      <button type="submit" disabled={pending || !canEdit} title={title} className={primaryButton}>
        Update health check
      </button>
      {message?.saved ? <span className={mutedText}>Saved: the next release uses it.</span> : null}
      {message?.error ? (
        <span className={errorText} role="alert">
          {message.error}
        </span>
      ) : null}
    </form>
  );
}
