import type { CoreContext } from '../context';
import type { GithubApi } from '../ports/github';
import { addRepositories, saveInstallation } from './save-installation';

/**
 * Reads the App's installations and their repositories from GitHub and makes
 * Postgres say the same (events keep it current; this repairs what a missed
 * event left behind, and fills it in right after the App is made).
 */
export async function syncGithubInstallations(ctx: Pick<CoreContext, 'db' | 'secrets' | 'log'> & { github: GithubApi }) {
  const app = await ctx.db.githubApp.findFirst();
  if (!app) return { installations: 0 };
  let installations: Awaited<ReturnType<GithubApi['listInstallations']>>;
  try {
    installations = await ctx.github.listInstallations({
      appId: Number(app.githubAppId),
      privateKey: ctx.secrets.open(app.privateKeyEnc),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.db.githubApp.update({ where: { id: app.id }, data: { syncError: `GitHub could not be read: ${message}` } });
    throw error;
  }
  await ctx.db.$transaction(async (tx) => {
    const kept: bigint[] = [];
    for (const i of installations) {
      const rowId = await saveInstallation(tx, i);
      await addRepositories(tx, rowId, i.repositories);
      await tx.githubRepository.deleteMany({
        where: { installationId: rowId, id: { notIn: i.repositories.map((r) => BigInt(r.id)) } },
      });
      kept.push(BigInt(i.id));
    }
    // Uninstalled while no event reached us: its apps keep their settings, the link goes.
    await tx.githubInstallation.deleteMany({ where: { installationId: { notIn: kept } } });
    await tx.githubApp.update({ where: { id: app.id }, data: { syncedAt: new Date(), syncError: null } });
  });
  ctx.log.info('GitHub installations synced', { installations: installations.length });
  return { installations: installations.length };
}
