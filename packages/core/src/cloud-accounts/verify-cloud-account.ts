import type { CoreContext } from '../context';
import { isAppError } from '../errors';
import { deliver } from '../queue-delivery';
import { isRetryableError } from '../retryable';

/** The worker's check of a new account: can the platform act in it? The answer is recorded for the API and dashboard. */
export async function verifyCloudAccount(ctx: CoreContext, accountId: string): Promise<'verified' | 'failed' | 'skipped'> {
  const account = await ctx.db.cloudAccount.findUnique({ where: { id: accountId } });
  if (!account) return 'skipped';
  try {
    const { accountId: awsAccountId } = await ctx.clouds.forAccount(account).verifyAccess();
    await ctx.db.cloudAccount.update({
      where: { id: account.id },
      data: { verifiedAt: ctx.now(), error: null, ...(awsAccountId ? { awsAccountId } : {}) },
    });
    return 'verified';
  } catch (error) {
    if (isRetryableError(error)) throw error;
    const message = isAppError(error) ? error.message : String(error);
    await ctx.db.cloudAccount.update({ where: { id: account.id }, data: { error: message, verifiedAt: null } });
    return 'failed';
  }
}

/** Accounts never checked (the platform's own, made on first use; a check whose job was lost) get checked; a second check is harmless. */
export async function reconcileCloudAccounts(ctx: CoreContext): Promise<number> {
  const unchecked = await ctx.db.cloudAccount.findMany({
    where: { verifiedAt: null, error: null, provider: 'aws' },
    select: { id: true },
    take: 20,
  });
  for (const a of unchecked) {
    await deliver(ctx.log, 'a cloud account check', () => ctx.queue.verifyCloudAccount(a.id, { key: `${a.id}.verify.again` }));
  }
  return unchecked.length;
}
