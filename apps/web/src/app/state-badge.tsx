const COLORS: Record<string, string> = {
  succeeded: 'bg-emerald-100 text-emerald-800',
  active: 'bg-emerald-100 text-emerald-800',
  healthy: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  unhealthy: 'bg-red-100 text-red-800',
  running: 'bg-sky-100 text-sky-800',
  waiting: 'bg-sky-100 text-sky-800',
  starting: 'bg-sky-100 text-sky-800',
  queued: 'bg-slate-100 text-slate-700',
  pending: 'bg-slate-100 text-slate-700',
  canceled: 'bg-amber-100 text-amber-800',
  deleting: 'bg-amber-100 text-amber-800',
  superseded: 'bg-slate-100 text-slate-600',
};

export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${COLORS[state] ?? 'bg-slate-100 text-slate-700'}`}>{state}</span>
  );
}
