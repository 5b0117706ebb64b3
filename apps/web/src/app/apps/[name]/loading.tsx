import { Bar, ListSkeleton, LoadingLabel } from '../../skeletons';
import { card, cardBare, skeleton } from '../../ui';

/** An app's page while it loads: its header, formation, releases and the rest, as grey blocks. */
export default function Loading() {
  return (
    <div className="space-y-8" aria-busy="true" data-testid="loading">
      <LoadingLabel>Loading the app…</LoadingLabel>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1 space-y-2">
          <Bar w="w-48 max-w-full" h="h-8" />
          <Bar w="w-80 max-w-full" />
          <Bar w="w-56 max-w-full" />
        </div>
        <div className="flex w-full gap-2 sm:w-auto">
          <Bar w="flex-1 sm:w-40 sm:flex-none" h="h-9" />
          <Bar w="w-20" h="h-9" />
        </div>
      </div>
      <section className="space-y-3">
        <Bar w="w-28" h="h-6" />
        <div className={`space-y-4 ${card}`}>
          {[0, 1].map((i) => (
            <div key={i} className="flex flex-wrap items-center gap-4">
              <Bar w="w-16" />
              <div className={`${skeleton} h-2 min-w-32 flex-1`} />
              <Bar w="w-full sm:w-56" />
            </div>
          ))}
        </div>
      </section>
      <section className="space-y-3">
        <Bar w="w-24" h="h-6" />
        <ListSkeleton rows={3} />
      </section>
      <section className="space-y-3">
        <Bar w="w-20" h="h-6" />
        <div className={`space-y-3 ${card}`}>
          <Bar w="w-64 max-w-full" />
          <div className={`${cardBare} h-16 border-dashed`} />
        </div>
      </section>
      <section className="space-y-3">
        <Bar w="w-32" h="h-6" />
        <ListSkeleton rows={2} />
      </section>
    </div>
  );
}
