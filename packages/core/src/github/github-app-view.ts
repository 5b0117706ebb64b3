/** What the API and dashboard show of the GitHub App: never a key or a secret. */
export function githubAppView(app: {
  githubAppId: bigint;
  slug: string;
  name: string;
  ownerLogin: string;
  htmlUrl: string;
  syncedAt: Date | null;
  syncError: string | null;
  createdAt: Date;
}) {
  return {
    id: Number(app.githubAppId),
    slug: app.slug,
    name: app.name,
    owner: app.ownerLogin,
    htmlUrl: app.htmlUrl,
    // Where an owner of repositories installs the App (GitHub then sends an `installation` event).
    installUrl: `${app.htmlUrl.replace(/\/$/, '')}/installations/new`,
    syncedAt: app.syncedAt,
    syncError: app.syncError,
    createdAt: app.createdAt,
  };
}
