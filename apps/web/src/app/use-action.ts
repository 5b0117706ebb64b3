'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from './action-result';

/**
 * Runs a server action, keeps its error to show, and on success goes where
 * `then` says (a deployment page, the apps list) or refreshes the page.
 */
export function useAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  // True after the last run succeeded (a settings form says "Saved").
  const [done, setDone] = useState(false);
  const [pending, startTransition] = useTransition();
  const run = <T>(action: () => Promise<ActionResult<T>>, then?: (value: T) => string | undefined) =>
    startTransition(async () => {
      setDone(false);
      const result = await action();
      if (!result.ok) return setError(result.error);
      setError(null);
      setDone(true);
      const next = then?.(result.value);
      if (next) router.push(next);
      else router.refresh();
    });
  return { run, error, pending, done };
}
