import { card, linkClass, mutedText, pageTitle } from './ui';

/** Any address the dashboard does not have. */
export default function NotFound() {
  return (
    <div className={`mx-auto max-w-xl space-y-4 ${card}`} data-testid="not-found">
      <h1 className={pageTitle}>Page not found</h1>
      <p className={`text-sm ${mutedText}`}>There is no page at this address. It may have moved, or the link is mistyped.</p>
      <a href="/" className={`text-sm ${linkClass}`}>
        Back to your apps
      </a>
    </div>
  );
}
