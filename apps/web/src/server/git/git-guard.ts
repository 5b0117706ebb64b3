import 'server-only';
import { AppError, authorize, type Caller, isAppError, type Permission } from '@paas/core';
import { ensureAppOfTeam, gitCaller } from '../caller';
import { webContext } from '../context';
import { errorResponse } from '../http';

/** "shop.git" (or "shop") → the app it names. */
export function appNameOfRepo(repo: string): string {
  return repo.endsWith('.git') ? repo.slice(0, -4) : repo;
}

/**
 * Who pushes or fetches, and to which app. Without credentials, or with wrong
 * ones, 401 with a Basic challenge: git then asks its credential helper (or
 * the user) and reports "Authentication failed" as it does for any host.
 */
export async function gitGuard(
  request: Request,
  repo: string,
  permission: Permission,
): Promise<{ caller: Caller; app: { id: string; name: string; branch: string } } | Response> {
  try {
    const caller = await gitCaller(request);
    const name = appNameOfRepo(repo);
    await ensureAppOfTeam(caller, name);
    authorize(caller, permission);
    const app = await webContext().db.app.findUniqueOrThrow({
      where: { name },
      select: { id: true, name: true, branch: true, deletingAt: true },
    });
    if (app.deletingAt) throw new AppError('conflict', `app "${name}" is being deleted`);
    return { caller, app };
  } catch (error) {
    if (isAppError(error) && error.code === 'unauthorized') {
      return new Response(`${error.message}\n`, {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="paas", charset="UTF-8"', 'content-type': 'text/plain' },
      });
    }
    return errorResponse(error);
  }
}
