import type { Tx } from '@paas/db';
import { z } from 'zod';
import type { RelayBatch, RelayedDelivery } from '../webhooks/relay-outcome';
import { addRepositories, saveInstallation } from './save-installation';

const repo = z.object({ id: z.number(), full_name: z.string(), private: z.boolean() });
const installation = z.object({
  id: z.number(),
  account: z.object({ login: z.string(), type: z.string() }).nullable(),
  repository_selection: z.string().optional(),
  suspended_at: z.string().nullable().optional(),
});
const installationEvent = z.object({
  action: z.string(),
  installation,
  repositories: z.array(repo).optional(),
});
const repositoriesEvent = z.object({
  action: z.string(),
  installation,
  repository_selection: z.string().optional(),
  repositories_added: z.array(repo),
  repositories_removed: z.array(z.object({ id: z.number() })),
});

const toRepo = (r: z.infer<typeof repo>) => ({ id: r.id, fullName: r.full_name, private: r.private });

/**
 * `installation` (created, deleted, suspend, unsuspend, new_permissions_accepted)
 * and `installation_repositories` (added, removed): Postgres follows what the
 * App may reach. An app connected to a repository the App lost keeps its
 * settings; its pushes simply stop arriving.
 */
export async function relayInstallationEvents(tx: Tx, deliveries: RelayedDelivery[], batch: RelayBatch) {
  for (const d of deliveries) {
    if (d.event === 'installation') {
      const parsed = installationEvent.safeParse(d.payload);
      if (!parsed.success) {
        batch.outcomes.set(d.id, { status: 'failed', result: 'not a usable installation payload' });
        continue;
      }
      const { action, installation: i, repositories } = parsed.data;
      if (action === 'deleted') {
        await tx.githubInstallation.deleteMany({ where: { installationId: BigInt(i.id) } });
        batch.outcomes.set(d.id, { status: 'processed', result: `installation ${i.id} removed` });
        continue;
      }
      const rowId = await saveInstallation(tx, {
        id: i.id,
        accountLogin: i.account?.login ?? 'unknown',
        accountType: i.account?.type ?? 'unknown',
        ...(i.repository_selection ? { repositorySelection: i.repository_selection } : {}),
        suspended: action === 'suspend' ? true : action === 'unsuspend' ? false : Boolean(i.suspended_at),
      });
      if (repositories) await addRepositories(tx, rowId, repositories.map(toRepo));
      batch.outcomes.set(d.id, { status: 'processed', result: `installation ${i.id} ${action}` });
    } else {
      const parsed = repositoriesEvent.safeParse(d.payload);
      if (!parsed.success) {
        batch.outcomes.set(d.id, { status: 'failed', result: 'not a usable installation_repositories payload' });
        continue;
      }
      const { installation: i, repositories_added, repositories_removed, repository_selection } = parsed.data;
      const rowId = await saveInstallation(tx, {
        id: i.id,
        accountLogin: i.account?.login ?? 'unknown',
        accountType: i.account?.type ?? 'unknown',
        ...(repository_selection ? { repositorySelection: repository_selection } : {}),
      });
      await addRepositories(tx, rowId, repositories_added.map(toRepo));
      await tx.githubRepository.deleteMany({
        where: { installationId: rowId, id: { in: repositories_removed.map((r) => BigInt(r.id)) } },
      });
      batch.outcomes.set(d.id, {
        status: 'processed',
        result: `${repositories_added.length} repositories added, ${repositories_removed.length} removed`,
      });
    }
  }
}

export const isInstallationEvent = (event: string) => event === 'installation' || event === 'installation_repositories';
