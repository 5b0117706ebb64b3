'use client';

import { useState } from 'react';
import { connectAppRepository } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { card, fieldClass, inlineCode, labelClass, linkClass, mutedText, primaryButton } from '../../ui';
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
  canEdit: boolean;
}) {
  const [repositoryId, setRepositoryId] = useState(props.connected === null ? '' : String(props.connected));
  const [branch, setBranch] = useState(props.branch);
  const save = useAction();
  const title = roleTitle(props.canEdit, 'app.settings');
  if (!props.hasGithubApp) {
    return (
      <p className={`text-sm ${mutedText}`}>
        {props.hasRepoUrl ? (
          <>
            Pushes to <code className={inlineCode}>{props.branch}</code> of the repository URL deploy (a webhook set up by hand).{' '}
          </>
        ) : null}
        To pick a GitHub repository{props.hasRepoUrl ? ' instead' : ''},{' '}
        <a href="/github" className={linkClass}>
          create the GitHub App
        </a>
        .
      </p>
    );
  }
  return (
    <form
      className={`flex flex-wrap items-end gap-3 text-sm ${card}`}
      data-testid="connect-repository"
      onSubmit={(e) => {
        e.preventDefault();
        save.run(() => connectAppRepository(props.app, repositoryId ? Number(repositoryId) : null, branch));
      }}
    >
      <label className={`${labelClass} w-full min-w-0 sm:w-auto`}>
        Repository
        <select
          value={repositoryId}
          disabled={!props.canEdit}
          title={title}
          onChange={(e) => setRepositoryId(e.target.value)}
          className={`max-w-full ${fieldClass}`}
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
      <label className={`${labelClass} w-full sm:w-auto`}>
        Branch
        <input
          value={branch}
          disabled={!props.canEdit}
          title={title}
          onChange={(e) => setBranch(e.target.value)}
          className={`font-mono ${fieldClass}`}
        />
      </label>
      <button type="submit" disabled={save.pending || !props.canEdit} title={title} className={primaryButton}>
        Save repository
      </button>
      {save.done ? <span className={mutedText}>Saved: pushes to this branch deploy.</span> : null}
      <FormError error={save.error} className="text-sm" />
    </form>
  );
}
