'use client';

import { createAppAction } from './actions';
import { FormError } from './form-error';
import { card, inputClass, primaryButton } from './ui';
import { useAction } from './use-action';

export function CreateApp() {
  const { run, error, pending } = useAction();
  return (
    <form
      className={`mb-6 flex flex-wrap items-end gap-3 ${card}`}
      data-testid="create-app"
      action={(form) =>
        run(
          () =>
            createAppAction({
              name: String(form.get('name') ?? ''),
              repoUrl: String(form.get('repoUrl') ?? ''),
              branch: String(form.get('branch') ?? ''),
            }),
          (name) => `/apps/${name}`,
        )
      }
    >
      <div className="w-full space-y-1 text-sm sm:w-auto">
        <label htmlFor="new-app-name">App name</label>
        <input id="new-app-name" name="name" required placeholder="my-app" className={inputClass} />
      </div>
      <div className="w-full space-y-1 text-sm sm:w-auto sm:min-w-64 sm:flex-1">
        <label htmlFor="new-app-repo">Repository URL (empty: deploy with git push)</label>
        <input id="new-app-repo" name="repoUrl" placeholder="https://github.com/acme/my-app.git" className={inputClass} />
      </div>
      <div className="w-full space-y-1 text-sm sm:w-auto">
        <label htmlFor="new-app-branch">Branch</label>
        <input id="new-app-branch" name="branch" placeholder="main" className={inputClass} />
      </div>
      <button type="submit" disabled={pending} className={`w-full sm:w-auto ${primaryButton}`}>
        Create app
      </button>
      <FormError error={error} />
    </form>
  );
}
