'use client';

import { useState } from 'react';
import { makeAppWebhookSecret } from '../../actions';
import { FormError } from '../../form-error';
import { useAction } from '../../use-action';

/** A webhook secret of the app's own, for a repository outside the GitHub App: shown once, when made. */
export function AppWebhookSecret({ app, has }: { app: string; has: boolean }) {
  const [made, setMade] = useState<{ secret: string; url: string } | null>(null);
  const make = useAction();
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="app-webhook-secret">
      <p>
        A repository outside the GitHub App can deploy this app through a webhook of its own (content type application/json, event
        push). {has && !made ? 'This app has a secret; making a new one replaces it.' : ''}
      </p>
      <button
        type="button"
        disabled={make.pending}
        className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50"
        onClick={() =>
          make.run(
            () => makeAppWebhookSecret(app, window.location.host),
            (value) => {
              setMade(value);
              return undefined;
            },
          )
        }
      >
        {has ? 'Make a new webhook secret' : 'Make a webhook secret'}
      </button>
      {made ? (
        <p className="break-all">
          Payload URL <code>{made.url}</code>, secret <code data-testid="app-webhook-secret-value">{made.secret}</code>: copy it
          now, it is not shown again.
        </p>
      ) : null}
      <FormError error={make.error} className="text-sm" />
    </div>
  );
}
