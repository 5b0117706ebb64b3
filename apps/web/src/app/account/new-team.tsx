'use client';

import { FormError } from '../form-error';
import { createTeamAction } from '../session-actions';
import { inputClass, secondaryButton } from '../ui';
import { useAction } from '../use-action';

export function NewTeam() {
  const { run, error, pending } = useAction();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      action={(form) =>
        run(
          () => createTeamAction({ slug: String(form.get('slug')), name: String(form.get('teamName')) }),
          () => '/',
        )
      }
    >
      <label className="text-sm">
        Team slug
        <input name="slug" required className={inputClass} />
      </label>
      <label className="text-sm">
        Team name
        <input name="teamName" required className={inputClass} />
      </label>
      <button type="submit" disabled={pending} className={secondaryButton}>
        Create team
      </button>
      <FormError error={error} />
    </form>
  );
}
