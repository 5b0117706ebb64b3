import { Bar, ListSkeleton, LoadingLabel } from '../skeletons';
import { card } from '../ui';

/** The apps list while it loads. */
export default function Loading() {
  return (
    <section aria-busy="true" data-testid="loading">
      <LoadingLabel>Loading…</LoadingLabel>
      <div className="mb-6 flex flex-wrap items-baseline justify-between gap-4">
        <Bar w="w-24" h="h-8" />
        <Bar w="w-20" />
      </div>
      <div className={`mb-6 flex flex-wrap items-end gap-3 ${card}`}>
        <Bar w="w-full sm:w-40" h="h-9" />
        <Bar w="w-full sm:flex-1" h="h-9" />
        <Bar w="w-full sm:w-28" h="h-9" />
        <Bar w="w-full sm:w-24" h="h-9" />
      </div>
      <ListSkeleton rows={4} />
    </section>
  );
}
