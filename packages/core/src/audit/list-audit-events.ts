import type { Db, Prisma } from '@paas/db';
import { z } from 'zod';
import { authorize, type Caller } from '../access/caller';
import { parseInput } from '../apps/app-input';

const filterSchema = z.strictObject({
  app: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  actor: z.string().max(254).optional(),
  before: z.iso.datetime({ error: 'before must be an ISO 8601 time' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * The team's audit log, newest first, filtered by app, action (a prefix such
 * as "config."), actor (a part of an email or token name). Admins only.
 */
export async function listAuditEvents(deps: { db: Db }, caller: Caller, query: unknown) {
  authorize(caller, 'audit.read');
  const { app, action, actor, before, limit } = parseInput(filterSchema, query);
  const where: Prisma.AuditEventWhereInput = {
    teamId: caller.teamId,
    ...(app ? { appName: app } : {}),
    ...(action ? { action: { startsWith: action } } : {}),
    ...(actor ? { actorLabel: { contains: actor, mode: 'insensitive' } } : {}),
    ...(before ? { createdAt: { lt: new Date(before) } } : {}),
  };
  const rows = await deps.db.auditEvent.findMany({ where, orderBy: { createdAt: 'desc' }, take: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    events: page.map((e) => ({
      id: e.id,
      at: e.createdAt,
      actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
      ip: e.ip,
      action: e.action,
      app: e.appName,
      target: { type: e.targetType, id: e.targetId },
      data: e.data,
    })),
    next: rows.length > limit ? page[page.length - 1]?.createdAt.toISOString() : null,
  };
}
