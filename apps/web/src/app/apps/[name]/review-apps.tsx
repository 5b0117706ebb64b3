'use client';

import { useState } from 'react';
import { changeReviewApps } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { card, fieldClass, labelClass, linkClass, mutedText, primaryButton } from '../../ui';
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
  canEdit: boolean;
}) {
  const [enabled, setEnabled] = useState(props.enabled);
  const [overrides, setOverrides] = useState('');
  const save = useAction();
  const title = roleTitle(props.canEdit, 'app.settings');
  if (!props.connected) {
    return (
      <p className={`text-sm ${mutedText}`}>
        Connect the app to its GitHub repository first: review apps follow its pull requests.
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <form
        className={`flex flex-wrap items-end gap-3 text-sm ${card}`}
        data-testid="review-apps"
        onSubmit={(e) => {
          e.preventDefault();
          save.run(() => changeReviewApps(props.app, enabled, overrides));
        }}
      >
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={enabled}
            disabled={!props.canEdit}
            title={title}
            onChange={(e) => setEnabled(e.target.checked)}
            className="size-4 accent-indigo-600 disabled:cursor-not-allowed"
          />
          Make a review app for each pull request
        </label>
        <label className={`${labelClass} w-full sm:w-auto`}>
          Config overrides (KEY=value, KEY= to remove; empty keeps the current ones)
          <textarea
            value={overrides}
            onChange={(e) => setOverrides(e.target.value)}
            rows={2}
            disabled={!props.canEdit}
            title={title}
            className={`w-full font-mono sm:w-96 ${fieldClass}`}
          />
        </label>
        <button type="submit" disabled={save.pending || !props.canEdit} title={title} className={primaryButton}>
          Save review apps
        </button>
        {save.done ? <span className={mutedText}>Saved.</span> : null}
        <FormError error={save.error} className="text-sm" />
      </form>
      {props.apps.length > 0 ? (
        <ul className="space-y-1 text-sm" data-testid="review-app-list">
          {props.apps.map((r) => (
            <li key={r.name}>
              <a href={`/apps/${r.name}`} className={linkClass}>
                {r.name}
              </a>{' '}
              (pull request #{r.pullRequest})
            </li>
          ))}
        </ul>
      ) : (
        <p className={`text-sm ${mutedText}`} data-testid="review-app-list-empty">
          {props.enabled
            ? 'No review app running: the next pull request into this branch gets one.'
            : props.canEdit
              ? 'Turn review apps on above: each pull request into this branch then gets an app of its own.'
              : 'Review apps are off. Admins of the team turn them on here.'}
        </p>
      )}
    </div>
  );
}
