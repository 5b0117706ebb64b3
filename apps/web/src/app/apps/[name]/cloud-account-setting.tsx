'use client';

import { useState } from 'react';
import { moveApp } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { card, fieldClass, labelClass, mutedText, primaryButton } from '../../ui';
import { useAction } from '../../use-action';

/**
 * Where the app builds and runs: its cloud account and so its region. It can
 * change until the first build (then its images, instances and certificates
 * live there); after, the form says how to move instead.
 */
export function CloudAccountSetting(props: {
  app: string;
  current: string;
  region: string;
  accounts: Array<{ name: string; region: string; provider: string; status: string }>;
  movable: boolean;
  canEdit: boolean;
}) {
  const [value, setValue] = useState(props.current);
  const save = useAction();
  const title = roleTitle(props.canEdit, 'app.settings');
  const locked = !props.movable;
  return (
    <form
      className={`flex flex-wrap items-end gap-3 text-sm ${card}`}
      data-testid="cloud-account-setting"
      onSubmit={(e) => {
        e.preventDefault();
        save.run(() => moveApp(props.app, value));
      }}
    >
      <label className={`${labelClass} w-full sm:w-auto`}>
        Cloud account
        <select
          value={value}
          disabled={!props.canEdit || locked}
          title={title ?? (locked ? 'The app has been built in this account' : undefined)}
          onChange={(e) => setValue(e.target.value)}
          className={fieldClass}
        >
          {props.accounts.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name} ({a.provider === 'local' ? 'this machine' : a.region}
              {a.status === 'verified' ? '' : `, ${a.status}`})
            </option>
          ))}
        </select>
      </label>
      <span className={mutedText} data-testid="app-region">
        Region: {props.region === 'local' ? 'this machine' : props.region}
      </span>
      {locked ? (
        <p className={`w-full ${mutedText}`}>
          Built here already: to run it elsewhere, create an app in the other account and deploy it there.
        </p>
      ) : (
        <button
          type="submit"
          disabled={save.pending || !props.canEdit || value === props.current}
          title={title}
          className={primaryButton}
        >
          Move app
        </button>
      )}
      <FormError error={save.error} className="text-sm" />
    </form>
  );
}
