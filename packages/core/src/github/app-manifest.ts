import { z } from 'zod';
import { parseInput } from '../apps/app-input';

// GitHub App names are at most 34 characters and unique on GitHub.
export const githubAppSetupSchema = z.object({
  name: z
    .string()
    .trim()
    .min(3, 'name must be at least 3 characters')
    .max(34, 'name must be at most 34 characters (GitHub’s limit)')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'name may contain letters, digits, spaces, dots, dashes and underscores'),
  /** An organization to own the App; empty for the signed-in user's account. */
  organization: z
    .string()
    .trim()
    .max(39)
    .regex(/^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)?$/, 'organization must be a GitHub login')
    .optional()
    .default(''),
});

export interface ManifestUrls {
  /** The dashboard, as GitHub users reach it. */
  dashboardUrl: string;
  /** Where GitHub delivers webhooks: the webhook receiver. */
  webhookUrl: string;
  /** GitHub's web address (https://github.com, or a GitHub Enterprise Server). */
  githubUrl: string;
}

/**
 * The App-manifest flow's first step: the manifest (name, permissions, events
 * and webhook pre-filled) and the GitHub page the browser posts it to. GitHub
 * shows it to the admin, creates the App on their click, and sends them back
 * to `redirect_url` with a one-time code; `state` ties that return to this start.
 */
export function githubAppManifest(input: unknown, urls: ManifestUrls, state: string) {
  const { name, organization } = parseInput(githubAppSetupSchema, input);
  const dashboard = urls.dashboardUrl.replace(/\/$/, '');
  const manifest = {
    name,
    url: dashboard,
    description: 'Deploys pushes to the apps of a self-hosted platform and reports back on commits and pull requests.',
    hook_attributes: { url: urls.webhookUrl, active: true },
    redirect_url: `${dashboard}/github/setup/callback`,
    // The second is "Sign in with GitHub": the App's user authorization returns there.
    callback_urls: [`${dashboard}/github/setup/callback`, `${dashboard}/api/auth/callback/github`],
    public: false,
    // Read the code to build it; write deployments, commit statuses and
    // pull request comments to report back. Nothing more.
    default_permissions: {
      contents: 'read',
      metadata: 'read',
      deployments: 'write',
      statuses: 'write',
      pull_requests: 'write',
    },
    // installation and installation_repositories come to every App unasked.
    default_events: ['push', 'pull_request'],
  };
  const base = urls.githubUrl.replace(/\/$/, '');
  const page = organization
    ? `${base}/organizations/${encodeURIComponent(organization)}/settings/apps/new`
    : `${base}/settings/apps/new`;
  return { manifest, postTo: `${page}?state=${encodeURIComponent(state)}` };
}
