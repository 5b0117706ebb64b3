'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { changeConfig } from '../../actions';
import { roleTitle } from '../../role-title';
import { card, errorText, faintText, fieldClass, linkClass, mutedText, primaryButton, tableBody, textButton } from '../../ui';

/**
 * Config vars, masked until revealed one by one. A change makes a new release
 * with the same build (no rebuild); the answer links to that deployment.
 */
export function ConfigVars({ app, vars, canEdit }: { app: string; vars: Record<string, string>; canEdit: boolean }) {
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
  const title = roleTitle(canEdit, 'config.write');
  return (
    <div className={`space-y-3 ${card}`} data-testid="config-vars">
      {keys.length === 0 ? (
        <p className={`text-sm ${mutedText}`} data-testid="config-vars-empty">
          {canEdit
            ? 'No config vars yet. Set one below (a KEY and its value): the app reads it from its environment, and a new release starts with it.'
            : 'No config vars yet. Admins of the team set them here.'}
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <tbody className={tableBody}>
            {keys.map((key) => (
              <tr key={key} data-testid={`config-${key}`}>
                <td className="py-1.5 pr-4 font-mono break-all">{key}</td>
                <td className="py-1.5 font-mono text-xs break-all">
                  {editing === key ? (
                    <input
                      value={draft}
                      onChange={(e) => setDraft(e.target.value)}
                      aria-label={`value of ${key}`}
                      className={`w-full min-w-32 ${fieldClass}`}
                    />
                  ) : revealed.has(key) ? (
                    <span data-testid={`value-${key}`}>{vars[key]}</span>
                  ) : (
                    <span className={faintText}>••••••••</span>
                  )}
                </td>
                <td className="space-x-3 py-1.5 pl-3 text-right text-xs whitespace-nowrap">
                  {editing === key ? (
                    <>
                      <button
                        type="button"
                        disabled={pending}
                        onClick={() => save({ [key]: draft }, () => setEditing(null))}
                        className={textButton}
                      >
                        Save
                      </button>
                      <button type="button" onClick={() => setEditing(null)} className={`${mutedText} hover:underline`}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <>
                      <button
                        type="button"
                        onClick={() => toggle(key)}
                        className="text-slate-700 hover:underline dark:text-slate-300"
                      >
                        {revealed.has(key) ? 'Hide' : 'Reveal'} <span className="sr-only">{key}</span>
                      </button>
                      <button
                        type="button"
                        disabled={!canEdit}
                        title={title}
                        onClick={() => {
                          setEditing(key);
                          setDraft(vars[key] ?? '');
                        }}
                        className={textButton}
                      >
                        Edit <span className="sr-only">{key}</span>
                      </button>
                      <button
                        type="button"
                        disabled={pending || !canEdit}
                        title={title}
                        onClick={() => save({ [key]: null })}
                        className={`${errorText} hover:underline disabled:cursor-not-allowed disabled:opacity-50 disabled:hover:no-underline`}
                      >
                        Remove <span className="sr-only">{key}</span>
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="flex flex-wrap gap-2"
        data-testid="config-vars-form"
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
          disabled={!canEdit}
          title={title}
          className={`w-full font-mono sm:w-48 ${fieldClass}`}
        />
        <input
          value={newValue}
          onChange={(e) => setNewValue(e.target.value)}
          placeholder="value"
          aria-label="New config var value"
          disabled={!canEdit}
          title={title}
          className={`w-full font-mono sm:w-auto sm:min-w-48 sm:flex-1 ${fieldClass}`}
        />
        <button type="submit" disabled={pending || newKey.trim() === '' || !canEdit} title={title} className={primaryButton}>
          Set
        </button>
      </form>
      {message?.error ? (
        <p role="alert" className={`text-sm ${errorText}`}>
          {message.error}
        </p>
      ) : null}
      {message && !message.error ? (
        <p className={`text-sm ${mutedText}`} role="status">
          Saved.{' '}
          {message.deployment ? (
            <a className={linkClass} href={`/apps/${app}/deployments/${message.deployment}`}>
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
