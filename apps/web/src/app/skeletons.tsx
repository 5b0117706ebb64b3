import { cardBare, skeleton } from './ui';

// Grey blocks in the shape of what is loading, shown while a page's data is read.

/** A bar of text: `w` is a width class. */
export function Bar({ w, h = 'h-4' }: { w: string; h?: string }) {
  return <div className={`${skeleton} ${h} ${w}`} />;
}

/** A boxed list of `rows` rows, each a title and a short line with a badge at the end. */
export function ListSkeleton({ rows }: { rows: number }) {
  return (
    <div className={`divide-y divide-slate-200 dark:divide-slate-800 ${cardBare}`}>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="flex items-center justify-between gap-4 px-4 py-3">
          <div className="min-w-0 flex-1 space-y-2">
            <Bar w="w-32 max-w-full" />
            <Bar w="w-56 max-w-full" h="h-3" />
          </div>
          <Bar w="w-16" h="h-5" />
        </div>
      ))}
    </div>
  );
}

/** What screen readers hear while the blocks show. */
export function LoadingLabel({ children }: { children: string }) {
  return <span className="sr-only">{children}</span>;
}
