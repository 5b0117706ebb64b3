import { getApp, isAppError } from '@paas/core';
import { notFound } from 'next/navigation';
import { webContext } from '@/server/context';
import { requireSession } from '@/server/session';
import { StateBadge } from '../../state-badge';
import { AutoRefresh } from './auto-refresh';
import { ScaleSlider } from './scale-slider';

export const dynamic = 'force-dynamic';

export default async function AppPage({ params }: { params: Promise<{ name: string }> }) {
  await requireSession();
  const { name } = await params;
  const ctx = webContext();
  let app: Awaited<ReturnType<typeof getApp>>;
  try {
    app = await getApp(ctx, name);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  const port = ctx.env.PAAS_CLOUD === 'local' ? `:${ctx.env.PAAS_ROUTER_PORT}` : '';

  return (
    <div className="space-y-8">
      <AutoRefresh everyMs={2000} />
      <div>
        <h1 className="text-2xl font-semibold" data-testid="app-name">
          {app.name}
        </h1>
        <p className="text-sm text-slate-600">
          {app.repoUrl} · branch <code>{app.branch}</code>
        </p>
        <p className="mt-1 text-sm">
          {app.urls.map((host) => (
            <a key={host} href={`http://${host}${port}`} className="text-indigo-600 hover:underline">
              http://{host}
              {port}
            </a>
          ))}
        </p>
      </div>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Formation</h2>
        <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          {app.formation.map((p) => (
            <ScaleSlider key={p.type} app={app.name} type={p.type} quantity={p.quantity} running={p.running} size={p.size} />
          ))}
        </div>
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Releases</h2>
        {app.releases.length === 0 ? (
          <p className="text-sm text-slate-600">No releases yet: push a commit to {app.branch}.</p>
        ) : (
          <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm" data-testid="releases">
            <tbody className="divide-y divide-slate-200">
              {app.releases.map((r) => (
                <tr key={r.version}>
                  <td className="px-4 py-2 font-mono">v{r.version}</td>
                  <td className="px-4 py-2">{r.description}</td>
                  <td className="px-4 py-2 font-mono text-xs text-slate-500">{r.commitSha.slice(0, 7)}</td>
                  <td className="px-4 py-2 text-right">
                    <StateBadge state={r.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Deployments</h2>
        <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm" data-testid="deployments">
          <tbody className="divide-y divide-slate-200">
            {app.deployments.map((d) => (
              <tr key={d.id}>
                <td className="px-4 py-2 font-mono text-xs">{d.commitSha?.slice(0, 7) ?? d.kind}</td>
                <td className="px-4 py-2 text-slate-600">{d.state === 'succeeded' ? 'done' : d.step.replace('_', ' ')}</td>
                <td className="px-4 py-2 text-xs text-red-700">{d.error}</td>
                <td className="px-4 py-2 text-right">
                  <StateBadge state={d.state} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
