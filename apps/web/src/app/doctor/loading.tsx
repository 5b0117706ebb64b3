import { Bar, ListSkeleton, LoadingLabel } from '../skeletons';

/** The check-up while it runs (a few seconds when a service is slow to answer). */
export default function Loading() {
  return (
    <section aria-busy="true" data-testid="loading" className="space-y-6">
      <LoadingLabel>Checking the platform…</LoadingLabel>
      <div className="space-y-2">
        <Bar w="w-28" h="h-8" />
        <Bar w="w-72 max-w-full" />
      </div>
      <ListSkeleton rows={7} />
    </section>
  );
}
