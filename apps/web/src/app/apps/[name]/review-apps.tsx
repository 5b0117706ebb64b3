'use client';

import { useState } from 'react';
import { changeReviewApps } from '../../actions';
import { FormError } from '../../form-error';
import { useAction } from '../../use-action';

/**
 * Opt-in review apps: each pull request into this app's branch (from the same
 * repository) gets an app of its own with this app's config and the
 * overrides below (KEY=value sets, KEY= removes).
 */
export function ReviewApps(props: {
  app: string;
  enabled: boolean;
  connected: boolean;
  apps: { name: string; pullRequest: number | null }[];
}) {
  const [enabled, setEnabled] = useState(props.enabled);
  const [overrides, setOverrides] = useState('');
  const save = useAction();
  if (!props.connected) {
    return (
      <p className="text-sm text-slate-600">
        Connect the app to its GitHub repository first: review apps follow its pull requests.
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
        data-testid="review-apps"
        onSubmit={(e) => {
          e.preventDefault();
          save.run(() => changeReviewApps(props.app, enabled, overrides));
        }}
      >
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Make a review app for each pull request
        </label>
        <label className="flex flex-col">
          Config overrides (KEY=value, KEY= to remove; empty keeps the current ones)
          <textarea
            value={overrides}
            onChange={(e) => setOverrides(e.target.value)}
            rows={2}
            className="w-96 rounded border border-slate-300 px-2 py-1 font-mono"
          />
        </label>
        <button type="submit" disabled={save.pending} className="rounded bg-indigo-600 px-3 py-1 text-white disabled:opacity-50">
          Save review apps
        </button>
        {save.done ? <span className="text-slate-600">Saved.</span> : null}
        <FormError error={save.error} className="text-sm" />
      </form>
      {props.apps.length > 0 ? (
        <ul className="text-sm" data-testid="review-app-list">
          {props.apps.map((r) => (
            <li key={r.name}>
              <a href={`/apps/${r.name}`} className="text-indigo-600 hover:underline">
                {r.name}
              </a>{' '}
              (pull request #{r.pullRequest})
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
