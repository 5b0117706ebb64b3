'use client';

import { useState } from 'react';
import { FormError } from '../form-error';
import { secondaryButton } from '../ui';

/**
 * Starts "Sign in with GitHub" (or connecting GitHub to the signed-in account)
 * through the auth library's endpoint; GitHub sends the browser back to
 * `callbackURL`.
 */
export function GithubButton({
  label,
  callbackURL,
  errorCallbackURL,
  requestSignUp = false,
  link = false,
}: {
  label: string;
  callbackURL: string;
  errorCallbackURL: string;
  requestSignUp?: boolean;
  /** Connect GitHub to the signed-in account instead of signing in. */
  link?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  async function start() {
    setError(null);
    const res = await fetch(link ? '/api/auth/link-social' : '/api/auth/sign-in/social', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'github', callbackURL, errorCallbackURL, ...(link ? {} : { requestSignUp }) }),
    });
    const answer = (await res.json().catch(() => null)) as { url?: string } | null;
    if (res.ok && answer?.url) window.location.assign(answer.url);
    else setError(res.status === 429 ? 'Too many attempts. Try again later.' : 'GitHub sign-in is not available right now.');
  }
  return (
    <div className="space-y-2">
      <button type="button" onClick={start} className={`w-full ${secondaryButton}`}>
        {label}
      </button>
      <FormError error={error} />
    </div>
  );
}
