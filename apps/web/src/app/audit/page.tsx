import { can, isAppError, listAuditEvents } from '@paas/core';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { inputClass, secondaryButton } from '../ui';

export const dynamic = 'force-dynamic';

type Filters = { app?: string; action?: string; actor?: string; before?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Filters> }) {
  const caller = await pageCaller();
  if (!can(caller.role, 'audit.read')) {
    return (
      <p className="rounded border border-slate-200 bg-white p-4 text-sm" role="alert">
        The audit log is for the team&apos;s admins and owners; your role is {caller.role}.
      </p>
    );
  }
  const filters = await searchParams;
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v !== ''));
  let result: Awaited<ReturnType<typeof listAuditEvents>>;
  try {
    result = await listAuditEvents(webContext(), caller, query);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <p role="alert" className="text-sm text-red-600">
        {error.message}
      </p>
    );
  }
  const next = result.next ? `?${new URLSearchParams({ ...query, before: result.next })}` : null;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <form className="flex flex-wrap items-end gap-2" method="get">
        <label className="text-sm">
          App
          <input name="app" defaultValue={filters.app ?? ''} className={inputClass} />
        </label>
        <label className="text-sm">
          Action
          <input name="action" placeholder="config." defaultValue={filters.action ?? ''} className={inputClass} />
        </label>
        <label className="text-sm">
          Who
          <input name="actor" defaultValue={filters.actor ?? ''} className={inputClass} />
        </label>
        <button type="submit" className={secondaryButton}>
          Filter
        </button>
      </form>
      <table className="w-full text-sm" data-testid="audit">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="py-1">When</th>
            <th>Who</th>
            <th>From</th>
            <th>What</th>
            <th>App</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {result.events.map((e) => (
            <tr key={e.id} className="border-t border-slate-200 align-top">
              <td className="py-1 pr-3 whitespace-nowrap">{e.at.toISOString().slice(0, 19).replace('T', ' ')}</td>
              <td className="pr-3">{e.actor.label ?? e.actor.type}</td>
              <td className="pr-3">{e.ip ?? ''}</td>
              <td className="pr-3">
                <code>{e.action}</code>
              </td>
              <td className="pr-3">{e.app ?? ''}</td>
              <td>
                <Change data={e.data} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.events.length === 0 ? <p className="text-sm text-slate-500">Nothing matches.</p> : null}
      {next ? (
        <a href={next} className="text-sm text-indigo-700 hover:underline">
          Older events →
        </a>
      ) : null}
    </div>
  );
}

/** A change as before → after when the event has both; its other facts after. */
function Change({ data }: { data: unknown }) {
  const { before, after, ...rest } = (data ?? {}) as Record<string, unknown>;
  return (
    <div className="space-y-0.5 text-xs">
      {before !== undefined || after !== undefined ? (
        <code className="block break-all">
          {JSON.stringify(before ?? null)} → {JSON.stringify(after ?? null)}
        </code>
      ) : null}
      {Object.keys(rest).length > 0 ? <code className="block break-all text-slate-500">{JSON.stringify(rest)}</code> : null}
    </div>
  );
}
