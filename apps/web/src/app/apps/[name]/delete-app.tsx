'use client';

import { useState } from 'react';
import { deleteAppAction } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { fieldClass, inlineCode, mutedText, solidDangerButton } from '../../ui';
import { useAction } from '../../use-action';

/** Deleting stops every process and removes every build and release: the name must be typed to confirm. */
export function DeleteApp({ app, canDelete }: { app: string; canDelete: boolean }) {
  const [typed, setTyped] = useState('');
  const { run, error, pending } = useAction();
  const title = roleTitle(canDelete, 'app.delete');
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
      <label className={`w-full text-sm sm:w-auto ${mutedText}`} htmlFor="confirm-delete">
        Type <code className={inlineCode}>{app}</code> to delete the app, its processes, builds and releases:
      </label>
      <input
        id="confirm-delete"
        value={typed}
        disabled={!canDelete}
        title={title}
        onChange={(e) => setTyped(e.target.value)}
        className={`min-w-0 flex-1 sm:w-40 sm:flex-none ${fieldClass}`}
      />
      <button type="submit" disabled={pending || typed !== app || !canDelete} title={title} className={solidDangerButton}>
        {pending ? 'Deleting…' : 'Delete app'}
      </button>
      <FormError error={error} />
    </form>
  );
}
