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

export interface GithubApi {
  /** Exchanges the one-time code of the App-manifest flow for the new App's credentials. */
  convertManifest(code: string): Promise<GithubAppRegistration>;
  /** Every installation of the App, with the repositories each gives access to. */
  listInstallations(app: GithubAppKey): Promise<GithubInstallationInfo[]>;
}
