'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { syncGithub } from '../actions';
import { errorText, secondaryButton } from '../ui';

/** Asks a worker to read the installations from GitHub again (events normally keep them current). */
export function SyncGithubButton() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        className={secondaryButton}
        onClick={() =>
          startTransition(async () => {
            const result = await syncGithub();
            setError(result.ok ? null : result.error);
            setTimeout(() => router.refresh(), 1_000);
          })
        }
      >
        Refresh from GitHub
      </button>
      {error ? <span className={errorText}>{error}</span> : null}
    </>
  );
}
