import { AppError, type GithubApi, type GithubAppKey, type Logger } from '@paas/core';
import { App, Octokit } from 'octokit';

/**
 * GitHub's REST API through Octokit: its retry plugin repeats 5xx answers and
 * network faults, its throttling plugin waits out primary and secondary rate
 * limits (once, then fails). `apiUrl` is https://api.github.com, or a GitHub
 * Enterprise Server's /api/v3. Never logs a key, a JWT or a token.
 */
export function createGithubApi(opts: { apiUrl: string; log: Logger }): GithubApi {
  const log = {
    debug: () => {},
    info: () => {},
    warn: (message: string) => opts.log.warn(`GitHub: ${message}`),
    error: (message: string) => opts.log.error(`GitHub: ${message}`),
  };
  const Kit = Octokit.defaults({ baseUrl: opts.apiUrl.replace(/\/$/, ''), userAgent: 'paas-platform', log });

  const appFor = (key: GithubAppKey) => new App({ appId: key.appId, privateKey: key.privateKey, Octokit: Kit, log });

  return {
    async convertManifest(code) {
      try {
        const { data } = await new Kit().request('POST /app-manifests/{code}/conversions', { code });
        return {
          id: data.id,
          slug: data.slug ?? String(data.id),
          name: data.name,
          ownerLogin: (data.owner as { login?: string } | null)?.login ?? '',
          htmlUrl: data.html_url,
          clientId: data.client_id,
          clientSecret: data.client_secret,
          webhookSecret: data.webhook_secret ?? '',
          privateKey: data.pem,
        };
      } catch (error) {
        throw githubError(
          error,
          'GitHub did not accept the code: it was already used or has expired (it lasts an hour); start the setup again',
        );
      }
    },

    async listInstallations(key) {
      try {
        const app = appFor(key);
        const installations = await app.octokit.paginate('GET /app/installations', { per_page: 100 });
        const out = [];
        for (const i of installations) {
          const account = i.account as { login?: string; slug?: string; type?: string } | null;
          // A suspended installation cannot get a token: list it without repositories.
          const repositories = i.suspended_at
            ? []
            : await (await app.getInstallationOctokit(i.id)).paginate('GET /installation/repositories', { per_page: 100 });
          out.push({
            id: i.id,
            accountLogin: account?.login ?? account?.slug ?? 'unknown',
            accountType: account?.type ?? 'Organization',
            repositorySelection: i.repository_selection,
            suspended: Boolean(i.suspended_at),
            repositories: repositories.map((r) => ({ id: r.id, fullName: r.full_name, private: r.private })),
          });
        }
        return out;
      } catch (error) {
        throw githubError(error, 'GitHub refused the App’s credentials: check that the App still exists');
      }
    },

    async sourceArchive(key, target) {
      const [owner, repo] = target.fullName.split('/') as [string, string];
      try {
        // A token for this one repository, read-only: what leaks with it is at most that code, for an hour.
        const { data } = await appFor(key).octokit.request('POST /app/installations/{installation_id}/access_tokens', {
          installation_id: target.installationId,
          repository_ids: [target.repositoryId],
          permissions: { contents: 'read' },
        });
        const kit = new Kit({ auth: data.token });
        const sha = /^[0-9a-f]{40}$/.test(target.ref)
          ? target.ref
          : (await kit.request('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref: target.ref })).data.sha;
        return {
          commitSha: sha,
          url: `${opts.apiUrl.replace(/\/$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/tarball/${sha}`,
          authorization: `token ${data.token}`,
        };
      } catch (error) {
        throw githubError(
          error,
          `GitHub refused to give ${target.fullName} at ${target.ref}: check that the App is still installed on it and that the ref exists`,
        );
      }
    },

    async reportDeployment(key, r) {
      const [owner, repo] = r.fullName.split('/') as [string, string];
      try {
        const { data: grant } = await appFor(key).octokit.request('POST /app/installations/{installation_id}/access_tokens', {
          installation_id: r.installationId,
          repository_ids: [r.repositoryId],
          permissions: { deployments: 'write', statuses: 'write' },
        });
        const kit = new Kit({ auth: grant.token });
        let id = r.githubDeploymentId;
        if (id === null) {
          // A retry after a crash finds the Deployment made before by our id in its payload.
          const existing = await kit.request('GET /repos/{owner}/{repo}/deployments', {
            owner,
            repo,
            sha: r.commitSha,
            environment: r.environment,
            per_page: 100,
          });
          const found = existing.data.find(
            (d) => (d.payload as { paasDeployment?: string } | null)?.paasDeployment === r.platformDeploymentId,
          );
          id = found ? Number(found.id) : null;
        }
        if (id === null) {
          const made = await kit.request('POST /repos/{owner}/{repo}/deployments', {
            owner,
            repo,
            ref: r.commitSha,
            environment: r.environment,
            description: r.description.slice(0, 140),
            auto_merge: false,
            // The platform deploys whatever the commit's checks say: it reports, it does not wait.
            required_contexts: [],
            payload: { paasDeployment: r.platformDeploymentId },
            production_environment: true,
          });
          id = (made.data as { id: number }).id;
        }
        await kit.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
          owner,
          repo,
          deployment_id: id,
          state: r.deploymentState,
          description: r.description.slice(0, 140),
          log_url: r.logUrl,
          ...(r.environmentUrl ? { environment_url: r.environmentUrl } : {}),
        });
        await kit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
          owner,
          repo,
          sha: r.commitSha,
          state: r.commitState,
          target_url: r.logUrl,
          description: r.description.slice(0, 140),
          context: r.context,
        });
        return { githubDeploymentId: id };
      } catch (error) {
        throw githubError(error, `GitHub refused the deployment report for ${r.fullName}`);
      }
    },

    async commentOnPullRequest(key, t) {
      const [owner, repo] = t.fullName.split('/') as [string, string];
      try {
        const { data: grant } = await appFor(key).octokit.request('POST /app/installations/{installation_id}/access_tokens', {
          installation_id: t.installationId,
          repository_ids: [t.repositoryId],
          permissions: { pull_requests: 'write' },
        });
        const { data } = await new Kit({ auth: grant.token }).request(
          'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
          {
            owner,
            repo,
            issue_number: t.number,
            body: t.body,
          },
        );
        return { commentId: Number(data.id) };
      } catch (error) {
        throw githubError(error, `GitHub refused the comment on ${t.fullName}#${t.number}`);
      }
    },
  };
}

/** GitHub's answer as an error with a code: unreachable or 5xx is retryable, a refusal is not. */
function githubError(error: unknown, refused: string): AppError {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('github_refused', `${refused} (GitHub answered ${status})`, { cause: error });
  }
  const detail =
    typeof status === 'number' ? `GitHub answered ${status}` : error instanceof Error ? error.message : String(error);
  return new AppError('github_unavailable', `GitHub could not be reached: ${detail}`, { cause: error, retryable: true });
}
