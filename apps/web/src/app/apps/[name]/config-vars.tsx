'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { changeConfig } from '../../actions';

/**
 * Config vars, masked until revealed one by one. A change makes a new release
 * with the same build (no rebuild); the answer links to that deployment.
 */
export function ConfigVars({ app, vars }: { app: string; vars: Record<string, string> }) {
  const router = useRouter();
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [newKey, setNewKey] = useState('');
  const [newValue, setNewValue] = useState('');
  const [message, setMessage] = useState<{ error?: string; deployment?: string | null } | null>(null);
  const [pending, startTransition] = useTransition();

  const save = (patch: Record<string, string | null>, after?: () => void) =>
    startTransition(async () => {
      const result = await changeConfig(app, patch);
      if (!result.ok) return setMessage({ error: result.error });
      setMessage({ deployment: result.value });
      after?.();
      router.refresh();
    });

  const toggle = (key: string) =>
    setRevealed((before) => {
      const next = new Set(before);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const keys = Object.keys(vars).sort();
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="config-vars">
      {keys.length === 0 ? <p className="text-sm text-slate-600">No config vars yet.</p> : null}
      <table className="w-full text-sm">
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <tr key={key} data-testid={`config-${key}`}>
              <td className="py-1.5 pr-4 font-mono">{key}</td>
              <td className="py-1.5 font-mono text-xs">
                {editing === key ? (
                  <input
                    value={draft}
                    onChange={(e) => setDraft(e.target.value)}
                    aria-label={`value of ${key}`}
                    className="w-full rounded border border-slate-300 px-2 py-1"
                  />
                ) : revealed.has(key) ? (
                  <span data-testid={`value-${key}`}>{vars[key]}</span>
                ) : (
                  <span className="text-slate-400">••••••••</span>
                )}
              </td>
              <td className="space-x-2 py-1.5 text-right text-xs whitespace-nowrap">
                {editing === key ? (
                  <>
                    <button
                      type="button"
                      disabled={pending}
                      onClick={() => save({ [key]: draft }, () => setEditing(null))}
                      className="text-indigo-700"
                    >
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(null)} className="text-slate-600">
                      Cancel
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" onClick={() => toggle(key)} className="text-slate-700">
                      {revealed.has(key) ? 'Hide' : 'Reveal'} <span className="sr-only">{key}</span>
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setEditing(key);
                        setDraft(vars[key] ?? '');
                      }}
                      className="text-indigo-700"
                    >
                      Edit <span className="sr-only">{key}</span>
                    </button>
                    <button type="button" disabled={pending} onClick={() => save({ [key]: null })} className="text-red-700">
                      Remove <span className="sr-only">{key}</span>
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="flex flex-wrap gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          save({ [newKey.trim()]: newValue }, () => {
            setNewKey('');
            setNewValue('');
          });
        }}
      >
        <input
          value={newKey}
          onChange={(e) => setNewKey(e.target.value)}
          placeholder="KEY"
          aria-label="New config var name"
          className="w-48 rounded border border-slate-300 px-2 py-1 font-mono text-sm"
        />
        <input
          value={newValue}
          onChange={(e) => setNewValue(e.target.value)}
          placeholder="value"
          aria-label="New config var value"
          className="min-w-48 flex-1 rounded border border-slate-300 px-2 py-1 font-mono text-sm"
        />
        <button
          type="submit"
          disabled={pending || newKey.trim() === ''}
          className="rounded bg-indigo-600 px-3 py-1 text-sm font-medium text-white disabled:opacity-50"
        >
          Set
        </button>
      </form>
      {message?.error ? (
        <p role="alert" className="text-sm text-red-600">
          {message.error}
        </p>
      ) : null}
      {message && !message.error ? (
        <p className="text-sm text-slate-600" role="status">
          Saved.{' '}
          {message.deployment ? (
            <a className="text-indigo-700 hover:underline" href={`/apps/${app}/deployments/${message.deployment}`}>
              Follow the release
            </a>
          ) : (
            'It applies on the next deploy.'
          )}
        </p>
      ) : null}
    </div>
  );
}
