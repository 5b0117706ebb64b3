'use client';

import { useState } from 'react';
import { deleteAppAction } from '../../actions';
import { FormError } from '../../form-error';
import { useAction } from '../../use-action';

/** Deleting stops every process and removes every build and release: the name must be typed to confirm. */
export function DeleteApp({ app }: { app: string }) {
  const [typed, setTyped] = useState('');
  const { run, error, pending } = useAction();
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(
          () => deleteAppAction(app),
          () => '/',
        );
      }}
    >
      <label className="text-sm text-slate-600" htmlFor="confirm-delete">
        Type <code>{app}</code> to delete the app, its processes, builds and releases:
      </label>
      <input
        id="confirm-delete"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        className="w-40 rounded border border-slate-300 px-2 py-1 text-sm"
      />
      <button
        type="submit"
        disabled={pending || typed !== app}
        className="rounded bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-500 disabled:opacity-40"
      >
        {pending ? 'Deleting…' : 'Delete app'}
      </button>
      <FormError error={error} />
    </form>
  );
}
