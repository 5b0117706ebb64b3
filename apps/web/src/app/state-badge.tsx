const GREEN = 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300';
const RED = 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300';
const BLUE = 'bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-300';
const AMBER = 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300';
const GREY = 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300';

const COLORS: Record<string, string> = {
  succeeded: GREEN,
  active: GREEN,
  healthy: GREEN,
  failed: RED,
  unhealthy: RED,
  running: BLUE,
  waiting: BLUE,
  starting: BLUE,
  queued: GREY,
  pending: GREY,
  canceled: AMBER,
  deleting: AMBER,
  superseded: 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-400',
};

export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap ${COLORS[state] ?? GREY}`}>
      {state}
    </span>
  );
}
