'use client';

import { useRouter } from 'next/navigation';
import { startTransition } from 'react';
import { card, faintText, inlineCode, linkClass, mutedText, pageTitle, primaryButton } from './ui';

/**
 * A page that failed to render: what happened in words and how to go on.
 * Never the error itself: on the server it can name tables and paths, and the
 * platform's log already has it, under the reference shown here.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <div className={`mx-auto max-w-xl space-y-4 ${card}`} role="alert" data-testid="page-error">
      <h1 className={pageTitle}>This page could not be shown</h1>
      <p className={`text-sm ${mutedText}`}>
        Something went wrong while the dashboard read what this page shows. It is often passing (the database or the platform
        restarting): try again in a moment. Nothing was changed.
      </p>
      {error.digest ? (
        <p className={`text-xs ${faintText}`}>
          If it keeps failing, the web process&apos;s log has the details under reference{' '}
          <code className={inlineCode}>{error.digest}</code>.
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-4">
        <button
          type="button"
          className={primaryButton}
          onClick={() =>
            // Read the page from the server again, then render it in place of this message.
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
        >
          Try again
        </button>
        <a href="/" className={`text-sm ${linkClass}`}>
          Back to your apps
        </a>
      </div>
    </div>
  );
}
