import type { Db, Tx } from '@paas/db';
import { AppError, notFound } from '../errors';

/** An app by name for a change: 404 when missing, 409 while it is being deleted. */
export async function findAppForChange(db: Db | Tx, name: string) {
  const app = await db.app.findUnique({ where: { name }, include: { cloudAccount: true } });
  if (!app) throw notFound('app', name);
  if (app.deletingAt) throw new AppError('conflict', `app "${name}" is being deleted`, { details: { app: name } });
  return app;
}

/** An app by name to read: 404 when missing (an app being deleted is still shown, as deleting). */
export async function findApp(db: Db | Tx, name: string) {
  const app = await db.app.findUnique({ where: { name }, include: { cloudAccount: true } });
  if (!app) throw notFound('app', name);
  return app;
}
