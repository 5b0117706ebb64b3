'use client';

import { useState } from 'react';
import { connectAppRepository } from '../../actions';
import { FormError } from '../../form-error';
import { useAction } from '../../use-action';

/**
 * Picks the repository (one the GitHub App is installed on) and branch whose
 * pushes deploy this app. Matched by GitHub's repository id: renaming the
 * repository does not disconnect it.
 */
export function ConnectRepository(props: {
  app: string;
  branch: string;
  connected: number | null;
  hasGithubApp: boolean;
  /** Whether the app has a repository URL (else it only takes git push to the platform). */
  hasRepoUrl: boolean;
  repositories: { id: number; fullName: string }[];
}) {
  const [repositoryId, setRepositoryId] = useState(props.connected === null ? '' : String(props.connected));
  const [branch, setBranch] = useState(props.branch);
  const save = useAction();
  if (!props.hasGithubApp) {
    return (
      <p className="text-sm text-slate-600">
        {props.hasRepoUrl ? (
          <>
            Pushes to <code>{props.branch}</code> of the repository URL deploy (a webhook set up by hand).{' '}
          </>
        ) : null}
        To pick a GitHub repository{props.hasRepoUrl ? ' instead' : ''},{' '}
        <a href="/github" className="text-indigo-600 hover:underline">
          create the GitHub App
        </a>
        .
      </p>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      data-testid="connect-repository"
      onSubmit={(e) => {
        e.preventDefault();
        save.run(() => connectAppRepository(props.app, repositoryId ? Number(repositoryId) : null, branch));
      }}
    >
      <label className="flex flex-col">
        Repository
        <select
          value={repositoryId}
          onChange={(e) => setRepositoryId(e.target.value)}
          className="rounded border border-slate-300 px-2 py-1"
          aria-label="Repository"
        >
          <option value="">Not connected (match the repository URL)</option>
          {props.repositories.map((r) => (
            <option key={r.id} value={r.id}>
              {r.fullName}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        Branch
        <input
          value={branch}
          onChange={(e) => setBranch(e.target.value)}
          className="rounded border border-slate-300 px-2 py-1 font-mono"
        />
      </label>
      <button type="submit" disabled={save.pending} className="rounded bg-indigo-600 px-3 py-1 text-white disabled:opacity-50">
        Save repository
      </button>
      {save.done ? <span className="text-slate-600">Saved: pushes to this branch deploy.</span> : null}
      <FormError error={save.error} className="text-sm" />
    </form>
  );
}
