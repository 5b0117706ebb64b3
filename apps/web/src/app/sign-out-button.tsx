'use client';

import { signOut } from './session-actions';

export function SignOutButton({ className }: { className?: string }) {
  return (
    <button type="button" className={className} onClick={() => signOut()}>
      Sign out
    </button>
  );
}
