import { can, isAppError, listAuditEvents } from '@paas/core';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import {
  card,
  cell,
  emptyState,
  errorBanner,
  faintText,
  formRow,
  inputClass,
  labelClass,
  linkClass,
  pageTitle,
  secondaryButton,
  tableBody,
  tableClass,
  tableHead,
  tableWrap,
} from '../ui';

export const dynamic = 'force-dynamic';

type Filters = { app?: string; action?: string; actor?: string; before?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Filters> }) {
  const caller = await pageCaller();
  if (!can(caller.role, 'audit.read')) {
    return (
      <p className={`text-sm ${card}`} role="alert">
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
      <p role="alert" className={errorBanner}>
        {error.message}
      </p>
    );
  }
  const next = result.next ? `?${new URLSearchParams({ ...query, before: result.next })}` : null;
  return (
    <div className="space-y-4">
      <h1 className={pageTitle}>Audit log</h1>
      <form className={formRow} method="get">
        <label className={`${labelClass} w-full sm:w-auto`}>
          App
          <input name="app" defaultValue={filters.app ?? ''} className={inputClass} />
        </label>
        <label className={`${labelClass} w-full sm:w-auto`}>
          Action
          <input name="action" placeholder="config." defaultValue={filters.action ?? ''} className={inputClass} />
        </label>
        <label className={`${labelClass} w-full sm:w-auto`}>
          Who
          <input name="actor" defaultValue={filters.actor ?? ''} className={inputClass} />
        </label>
        <button type="submit" className={`w-full sm:w-auto ${secondaryButton}`}>
          Filter
        </button>
      </form>
      {result.events.length === 0 ? (
        <p className={emptyState} data-testid="audit-empty">
          {Object.keys(query).length > 0
            ? 'Nothing matches. Loosen the filters above (the action matches its start, e.g. config.), or clear them.'
            : 'Nothing recorded yet. Changes to apps, config vars, domains, members and tokens show up here as they happen.'}
        </p>
      ) : (
        <div className={tableWrap}>
          <table className={tableClass} data-testid="audit">
            <thead className={tableHead}>
              <tr>
                <th className={cell}>When</th>
                <th className={cell}>Who</th>
                <th className={cell}>From</th>
                <th className={cell}>What</th>
                <th className={cell}>App</th>
                <th className={cell}>Change</th>
              </tr>
            </thead>
            <tbody className={tableBody}>
              {result.events.map((e) => (
                <tr key={e.id} className="align-top">
                  <td className={`${cell} whitespace-nowrap`}>{e.at.toISOString().slice(0, 19).replace('T', ' ')}</td>
                  <td className={`${cell} break-words`}>{e.actor.label ?? e.actor.type}</td>
                  <td className={`${cell} whitespace-nowrap`}>{e.ip ?? ''}</td>
                  <td className={`${cell} whitespace-nowrap`}>
                    <code>{e.action}</code>
                  </td>
                  <td className={cell}>{e.app ?? ''}</td>
                  <td className={`${cell} min-w-48`}>
                    <Change data={e.data} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <a href={next} className={`text-sm ${linkClass}`}>
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
      {Object.keys(rest).length > 0 ? <code className={`block break-all ${faintText}`}>{JSON.stringify(rest)}</code> : null}
    </div>
  );
}
