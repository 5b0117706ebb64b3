'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { changeHealthCheck } from '../../actions';

/** The path new web instances must answer (below 500) before they get traffic, and how often it is checked. */
export function HealthCheckSettings({ app, path, intervalSeconds }: { app: string; path?: string; intervalSeconds?: number }) {
  const router = useRouter();
  const [form, setForm] = useState({ path: path ?? '', intervalSeconds: intervalSeconds ? String(intervalSeconds) : '' });
  const [message, setMessage] = useState<{ error?: string; saved?: boolean } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
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
      <label className="flex flex-col">
        Health check path
        <input
          value={form.path}
          placeholder="/"
          onChange={(e) => setForm({ ...form, path: e.target.value })}
          className="rounded border border-slate-300 px-2 py-1 font-mono"
        />
      </label>
      <label className="flex flex-col">
        Every (seconds)
        <input
          value={form.intervalSeconds}
          placeholder="default"
          inputMode="numeric"
          onChange={(e) => setForm({ ...form, intervalSeconds: e.target.value })}
          className="w-24 rounded border border-slate-300 px-2 py-1"
        />
      </label>
      <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-3 py-1 text-white disabled:opacity-50">
        Update health check
      </button>
      {message?.saved ? <span className="text-slate-600">Saved: the next release uses it.</span> : null}
      {message?.error ? (
        <span className="text-red-700" role="alert">
          {message.error}
        </span>
      ) : null}
    </form>
  );
}
