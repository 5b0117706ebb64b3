'use client';

import { createAppAction } from './actions';
import { FormError } from './form-error';
import { inputClass, primaryButton } from './ui';
import { useAction } from './use-action';

export function CreateApp() {
  const { run, error, pending } = useAction();
  return (
    <form
      className="mb-6 flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-4"
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
      <div className="text-sm">
        <label htmlFor="new-app-name">App name</label>
        <input id="new-app-name" name="name" required placeholder="my-app" className={inputClass} />
      </div>
      <div className="min-w-64 flex-1 text-sm">
        <label htmlFor="new-app-repo">Repository URL (empty: deploy with git push)</label>
        <input id="new-app-repo" name="repoUrl" placeholder="https://github.com/acme/my-app.git" className={inputClass} />
      </div>
      <div className="text-sm">
        <label htmlFor="new-app-branch">Branch</label>
        <input id="new-app-branch" name="branch" placeholder="main" className={inputClass} />
      </div>
      <button type="submit" disabled={pending} className={primaryButton}>
        Create app
      </button>
      <FormError error={error} />
    </form>
  );
}
