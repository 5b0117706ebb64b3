'use client';

import { useState } from 'react';
import { changeRootDir } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { card, fieldClass, labelClass, mutedText, primaryButton } from '../../ui';
import { useAction } from '../../use-action';

/** The directory of the repository the app builds from (a monorepo's app); empty for the root. */
export function RootDir({ app, rootDir, canEdit }: { app: string; rootDir: string; canEdit: boolean }) {
  const [value, setValue] = useState(rootDir);
  const save = useAction();
  const title = roleTitle(canEdit, 'app.settings');
  return (
    <form
      className={`flex flex-wrap items-end gap-3 text-sm ${card}`}
      data-testid="root-dir"
      onSubmit={(e) => {
        e.preventDefault();
        save.run(() => changeRootDir(app, value));
      }}
    >
      <label className={`${labelClass} w-full sm:w-auto`}>
        Build from directory
        <input
          value={value}
          placeholder="(the repository's root)"
          disabled={!canEdit}
          title={title}
          onChange={(e) => setValue(e.target.value)}
          className={`font-mono ${fieldClass}`}
        />
      </label>
      <button type="submit" disabled={save.pending || !canEdit} title={title} className={primaryButton}>
        Save directory
      </button>
      {save.done ? <span className={mutedText}>Saved: the next deploy builds from there.</span> : null}
      <FormError error={save.error} className="text-sm" />
    </form>
  );
}
