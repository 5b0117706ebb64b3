'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { syncGithub } from '../actions';

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
        className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50"
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
      {error ? <span className="text-red-700">{error}</span> : null}
    </>
  );
}
