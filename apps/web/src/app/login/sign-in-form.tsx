'use client';

import { useState } from 'react';
import { errorText, inputClass, primaryButton } from '../ui';

/**
 * Posts to the auth library's own endpoint (not a server action), so its rate
 * limit on sign-in applies to the browser exactly as to a script.
 */
export function SignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    const res = await fetch('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    });
    setPending(false);
    if (res.ok) {
      window.location.assign('/');
      return;
    }
    if (res.status === 429) {
      const wait = res.headers.get('x-retry-after') ?? res.headers.get('retry-after');
      setError(`Too many attempts. Try again${wait ? ` in ${wait} s` : ' later'}.`);
      return;
    }
    setError('Wrong email or password.');
  }
  return (
    <form action={submit} className="space-y-3">
      <label className="block text-sm font-medium" htmlFor="email">
        Email
      </label>
      <input id="email" name="email" type="email" autoComplete="username" required className={inputClass} />
      <label className="block text-sm font-medium" htmlFor="password">
        Password
      </label>
      <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
      {error ? (
        <p role="alert" className={`text-sm ${errorText}`}>
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className={`w-full ${primaryButton}`}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
