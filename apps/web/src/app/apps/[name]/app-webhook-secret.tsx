'use client';

import { useState } from 'react';
import { makeAppWebhookSecret } from '../../actions';
import { FormError } from '../../form-error';
import { roleTitle } from '../../role-title';
import { card, inlineCode, secondaryButton } from '../../ui';
import { useAction } from '../../use-action';

/** A webhook secret of the app's own, for a repository outside the GitHub App: shown once, when made. */
export function AppWebhookSecret({ app, has, canEdit }: { app: string; has: boolean; canEdit: boolean }) {
  const [made, setMade] = useState<{ secret: string; url: string } | null>(null);
  const make = useAction();
  return (
    <div className={`space-y-2 text-sm ${card}`} data-testid="app-webhook-secret">
      <p>
        A repository outside the GitHub App can deploy this app through a webhook of its own (content type application/json, event
        push). {has && !made ? 'This app has a secret; making a new one replaces it.' : ''}
      </p>
      <button
        type="button"
        disabled={make.pending || !canEdit}
        title={roleTitle(canEdit, 'app.settings')}
        className={secondaryButton}
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
          Payload URL <code className={inlineCode}>{made.url}</code>, secret{' '}
          <code className={inlineCode} data-testid="app-webhook-secret-value">
            {made.secret}
          </code>
          : copy it now, it is not shown again.
        </p>
      ) : null}
      <FormError error={make.error} className="text-sm" />
    </div>
  );
}
