// What the platform asks of GitHub, behind one port so the domain imports no
// SDK. The implementation (packages/github) retries, respects GitHub's rate
// limits, and never logs a key or a token.

/** What GitHub returns when an App made from our manifest is confirmed. */
export interface GithubAppRegistration {
  id: number;
  slug: string;
  name: string;
  ownerLogin: string;
  htmlUrl: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** The App's private key (PEM): signs the JWTs that get installation tokens. */
  privateKey: string;
}

export interface GithubAppKey {
  appId: number;
  privateKey: string;
}

export interface GithubInstallationInfo {
  id: number;
  accountLogin: string;
  accountType: string;
  repositorySelection: string;
  suspended: boolean;
  repositories: { id: number; fullName: string; private: boolean }[];
}

/** Where a builder fetches one commit of a repository as a tarball, and the credential it needs for that. */
export interface SourceArchive {
  commitSha: string;
  url: string;
  /**
   * The Authorization header value: an installation token that can only read
   * this one repository and expires within the hour. Handed to the builder in
   * memory (or a SecureString parameter on AWS); never stored or logged.
   */
  authorization: string;
}

/** What to tell GitHub about one deployment of a connected app. */
export interface DeploymentReport {
  installationId: number;
  repositoryId: number;
  fullName: string;
  commitSha: string;
  /** The GitHub Deployment made for it earlier, if any. */
  githubDeploymentId: number | null;
  /** Ours: GitHub's Deployment carries it in its payload, so a retry finds the one made before. */
  platformDeploymentId: string;
  /** The GitHub environment (the app's name), shown on the pull request and the repository. */
  environment: string;
  deploymentState: 'queued' | 'in_progress' | 'success' | 'failure' | 'error';
  commitState: 'pending' | 'success' | 'failure' | 'error';
  description: string;
  /** The app's URL, on success. */
  environmentUrl: string | null;
  /** Where the deployment and its build log are shown. */
  logUrl: string;
  /** The commit status's name. */
  context: string;
}

export interface GithubApi {
  /** Exchanges the one-time code of the App-manifest flow for the new App's credentials. */
  convertManifest(code: string): Promise<GithubAppRegistration>;
  /** Every installation of the App, with the repositories each gives access to. */
  listInstallations(app: GithubAppKey): Promise<GithubInstallationInfo[]>;
  /** Resolves `ref` to its commit and says how to fetch that commit's tarball with a short-lived, read-only token. */
  sourceArchive(
    app: GithubAppKey,
    target: { installationId: number; repositoryId: number; fullName: string; ref: string },
  ): Promise<SourceArchive>;
  /**
   * Makes (once) a GitHub Deployment for the commit, adds a status to it, and
   * sets the commit's status. Returns the GitHub Deployment's id.
   */
  reportDeployment(app: GithubAppKey, report: DeploymentReport): Promise<{ githubDeploymentId: number }>;
  /** Posts a comment on a pull request (a review app's URL). */
  commentOnPullRequest(
    app: GithubAppKey,
    target: { installationId: number; repositoryId: number; fullName: string; number: number; body: string },
  ): Promise<{ commentId: number }>;
}
