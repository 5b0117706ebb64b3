'use client';

import { useState } from 'react';
import { changeRootDir } from '../../actions';
import { FormError } from '../../form-error';
import { useAction } from '../../use-action';

/** The directory of the repository the app builds from (a monorepo's app); empty for the root. */
export function RootDir({ app, rootDir }: { app: string; rootDir: string }) {
  const [value, setValue] = useState(rootDir);
  const save = useAction();
  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      data-testid="root-dir"
      onSubmit={(e) => {
        e.preventDefault();
        save.run(() => changeRootDir(app, value));
      }}
    >
      <label className="flex flex-col">
        Build from directory
        <input
          value={value}
          placeholder="(the repository's root)"
          onChange={(e) => setValue(e.target.value)}
          className="rounded border border-slate-300 px-2 py-1 font-mono"
        />
      </label>
      <button type="submit" disabled={save.pending} className="rounded bg-indigo-600 px-3 py-1 text-white disabled:opacity-50">
        Save directory
      </button>
      {save.done ? <span className="text-slate-600">Saved: the next deploy builds from there.</span> : null}
      <FormError error={save.error} className="text-sm" />
    </form>
  );
}
