import type { GoBuildPlan } from './build-plan';
import { shellQuote } from './shell';

/**
 * The steps of a Go build: every main package into bin/, with the module's own
 * go.sum (no -mod=mod: a go.sum that does not match fails the build, as it
 * should). GOPROXY and the other Go settings are left as the builder has them;
 * the build and module caches live in the app's cache, so the next build only
 * compiles what changed.
 */
export function renderGoSteps(plan: GoBuildPlan, cached: boolean): string[] {
  const lines: string[] = [
    `step ${shellQuote(`Go app detected (module ${plan.module})`)}`,
    'if ! command -v go >/dev/null 2>&1; then warn "go is not installed on this builder"; exit 1; fi',
    'note "Using $(go version)"',
  ];
  if (plan.goVersion !== null) {
    lines.push(note(`go.mod asks for go ${plan.goVersion}; this builder does not download other versions`));
  }
  for (const warning of plan.warnings) lines.push(`warn ${shellQuote(warning)}`);
  lines.push(
    // Go 1.21+ would otherwise fetch the toolchain go.mod names.
    'export GOTOOLCHAIN=local',
    // Module cache files are read-only by default, which keeps anyone but root from deleting the cache.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash default, not a JS template
    'export GOFLAGS="${GOFLAGS:+$GOFLAGS }-modcacherw"',
  );
  if (cached) lines.push('export GOPATH="$paas_cache/go" GOCACHE="$paas_cache/go-build"');
  // No -trimpath: it changes every package's build id, so the standard library a
  // toolchain ships compiled would be compiled again for each app (half a minute).
  lines.push('', 'step "Building with go build -o bin/ ./..."', 'go build -o bin/ ./...');
  return lines;
}

const note = (text: string) => `note ${shellQuote(text)}`;
