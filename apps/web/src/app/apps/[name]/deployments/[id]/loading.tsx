import { Bar, LoadingLabel } from '../../../../skeletons';
import { cardBare, skeleton } from '../../../../ui';

/** A deployment's page while it loads: title, its steps and the build log, as grey blocks. */
export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" data-testid="loading">
      <LoadingLabel>Loading the deployment…</LoadingLabel>
      <Bar w="w-20" />
      <div className="space-y-2">
        <Bar w="w-72 max-w-full" h="h-7" />
        <Bar w="w-56 max-w-full" />
      </div>
      <Bar w="w-24" h="h-6" />
      <ol className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        {['build', 'release', 'launch', 'health', 'switch', 'retire'].map((step) => (
          <li key={step} className={`space-y-2 p-2 ${cardBare}`}>
            <Bar w="w-16" h="h-3" />
            <Bar w="w-20" h="h-5" />
            <Bar w="w-12" h="h-3" />
          </li>
        ))}
      </ol>
      <section className="space-y-3">
        <Bar w="w-24" h="h-6" />
        <div className={`${skeleton} h-64`} />
      </section>
    </div>
  );
}
