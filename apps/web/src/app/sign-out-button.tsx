'use client';

import { signOut } from './session-actions';

export function SignOutButton() {
  return (
    <button type="button" className="text-slate-600 hover:underline" onClick={() => signOut()}>
      Sign out
    </button>
  );
}
