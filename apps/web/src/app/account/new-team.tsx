'use client';

import { FormError } from '../form-error';
import { createTeamAction } from '../session-actions';
import { formRow, inputClass, labelClass, secondaryButton } from '../ui';
import { useAction } from '../use-action';

export function NewTeam() {
  const { run, error, pending } = useAction();
  return (
    <form
      className={formRow}
      action={(form) =>
        run(
          () => createTeamAction({ slug: String(form.get('slug')), name: String(form.get('teamName')) }),
          () => '/',
        )
      }
    >
      <label className={`${labelClass} w-full sm:w-auto`}>
        Team slug
        <input name="slug" required className={inputClass} />
      </label>
      <label className={`${labelClass} w-full sm:w-auto`}>
        Team name
        <input name="teamName" required className={inputClass} />
      </label>
      <button type="submit" disabled={pending} className={`w-full sm:w-auto ${secondaryButton}`}>
        Create team
      </button>
      <FormError error={error} />
    </form>
  );
}
