import type { Db } from '@paas/db';
import type { SecretBox } from '../crypto/secret-box';
import { isAppError } from '../errors';
import type { GithubApi } from '../ports/github';
import { check, type DoctorCheck, errorMessage, withTimeout } from './check';

/**
 * Whether the GitHub App is made, and when it is, that GitHub still takes its
 * credentials: an App JWT call (its installations), which fails when the App
 * was deleted or its private key revoked.
 */
export async function checkGithubApp(deps: {
  db: Db;
  secrets: SecretBox | null;
  github: Pick<GithubApi, 'listInstallations'>;
  githubApiUrl: string;
  timeoutMs: number;
}): Promise<DoctorCheck> {
  const title = 'GitHub App';
  const app = await deps.db.githubApp.findFirst();
  if (!app) {
    return check(
      'github-app',
      title,
      'warn',
      'No GitHub App is set up: apps deploy from git push to the platform only, not on pushes to GitHub.',
      "Create it from the dashboard's GitHub page (/github), as an admin of the platform's team",
    );
  }
  if (!deps.secrets) {
    return check(
      'github-app',
      title,
      'warn',
      `The App ${app.slug} is set up; its credentials cannot be opened without a valid PAAS_SECRET_KEY.`,
    );
  }
  let privateKey: string;
  try {
    privateKey = deps.secrets.open(app.privateKeyEnc);
  } catch {
    return check(
      'github-app',
      title,
      'fail',
      `The App ${app.slug}'s private key cannot be opened with PAAS_SECRET_KEY.`,
      'Restore the key from your backup (.paas/secrets.env), then restart the platform',
    );
  }
  try {
    const installations = await withTimeout(
      deps.github.listInstallations({ appId: Number(app.githubAppId), privateKey }),
      deps.timeoutMs,
      `GitHub's API at ${deps.githubApiUrl}`,
    );
    return check(
      'github-app',
      title,
      'ok',
      `The App ${app.slug} signs in to ${deps.githubApiUrl}; ${installations.length} installation${installations.length === 1 ? '' : 's'}.`,
    );
  } catch (error) {
    if (isAppError(error) && error.code === 'github_refused') {
      return check(
        'github-app',
        title,
        'fail',
        `GitHub refused the App ${app.slug}'s credentials: ${error.message}.`,
        `Check on ${app.htmlUrl} that the App exists and its private key is not revoked; if it is gone, create the App again from the dashboard's GitHub page (/github)`,
      );
    }
    return check(
      'github-app',
      title,
      'fail',
      `GitHub's API could not be reached at ${deps.githubApiUrl}: ${errorMessage(error)}.`,
      'Check GITHUB_API_URL and that this machine reaches it (proxy, firewall, DNS)',
    );
  }
}
