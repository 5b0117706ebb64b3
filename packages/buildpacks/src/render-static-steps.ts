import type { StaticBuildPlan } from './build-plan';
import { STATIC_SERVER_SOURCE } from './generated/static-server-source';
import { shellQuote } from './shell';

const END = 'PAAS_STATIC_SERVER_END';

/** The steps of a static site: put the platform's file server into the image (node runs it). */
export function renderStaticSteps(plan: StaticBuildPlan): string[] {
  if (STATIC_SERVER_SOURCE.split('\n').includes(END)) throw new Error(`the static server's source contains ${END}`);
  const served = plan.root === '.' ? 'the root of the repository' : `${plan.root}/`;
  return [
    `step ${shellQuote(`Static site detected (serving ${served})`)}`,
    'if ! command -v node >/dev/null 2>&1; then warn "node is not installed on this builder (it serves static sites)"; exit 1; fi',
    'mkdir -p .paas',
    `cat > .paas/static-server.mjs <<'${END}'`,
    STATIC_SERVER_SOURCE.replace(/\n$/, ''),
    END,
    'note "Served by .paas/static-server.mjs: index.html for directories, 404.html when present, no listings"',
  ];
}
