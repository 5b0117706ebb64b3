'use client';

import { useParams } from 'next/navigation';
import { card, inlineCode, linkClass, mutedText, pageTitle, segmentText } from '../../ui';

/** An app that does not exist, or is another team's: the two look the same on purpose. */
export default function AppNotFound() {
  const { name } = useParams<{ name: string }>();
  return (
    <div className={`mx-auto max-w-xl space-y-4 ${card}`} data-testid="app-not-found">
      <h1 className={pageTitle}>App not found</h1>
      <p className={`text-sm break-words ${mutedText}`}>
        {name ? (
          <>
            There is no app called <code className={inlineCode}>{segmentText(name)}</code> in your team.
          </>
        ) : (
          'There is no such app in your team.'
        )}{' '}
        It may have been deleted, or it belongs to another team: if you are in several, switch team on your{' '}
        <a href="/account" className={linkClass}>
          account page
        </a>
        .
      </p>
      <a href="/" className={`inline-block text-sm ${linkClass}`} data-testid="back-to-apps">
        See your apps
      </a>
    </div>
  );
}
