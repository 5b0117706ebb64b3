import { type BuildPlan, detect, directorySourceReader, renderBuildScript, renderFetchSourceScript } from '@paas/buildpacks';
import type { BuildLog, ScriptRun } from './run-script';

/** A build that failed for a reason the user can act on; its message ends the log. */
export class BuildFailure extends Error {}

const CHECKED_OUT = /^-----> Checked out commit ([0-9a-f]{40})$/m;

export interface BuildSourceInput {
  repoUrl: string;
  ref: string;
  /** The commit's source as a tarball on disk (see ImageBuildInput.archive), instead of cloning repoUrl. */
  archivePath?: string;
  /** Build from this directory of the repository (read from the build definition). */
  rootDir?: string;
  /** Emptied and filled with the source, then built in place: it becomes the image's app directory. */
  appDir: string;
  /** The app's build cache, kept between its builds (see renderBuildScript); may be empty. */
  cacheDir: string;
  log: BuildLog;
  /** Runs a script as whoever builds (the app's user on this machine, root on a builder instance). */
  run: (script: string) => Promise<ScriptRun>;
  /** An image built earlier from this commit, if the executor keeps an index of them. */
  reuse?: (commitSha: string) => Promise<boolean>;
  /** The build script, before it runs (kept next to the image for whoever debugs it). */
  onScript?: (script: string) => Promise<void>;
}

export type BuildOutcome = { reused: true; commitSha: string } | { reused: false; commitSha: string; plan: BuildPlan };

/**
 * The build definition, executed: fetch exactly one commit, detect how it
 * builds, run the build script. The local builder and the builder instance
 * on AWS both run this, each with its own way of running a script.
 */
export async function buildSource(input: BuildSourceInput): Promise<BuildOutcome> {
  const fetch = await input.run(
    renderFetchSourceScript({
      repoUrl: input.repoUrl,
      ref: input.ref,
      dir: input.appDir,
      ...(input.archivePath ? { archivePath: input.archivePath } : {}),
      ...(input.rootDir ? { rootDir: input.rootDir } : {}),
    }),
  );
  const commitSha = CHECKED_OUT.exec(fetch.steps)?.[1];
  if (fetch.code !== 0 || commitSha === undefined) {
    throw new BuildFailure(`Could not fetch ${input.ref} from the repository (exit status ${fetch.code})`);
  }
  if (input.reuse && (await input.reuse(commitSha))) return { reused: true, commitSha };

  const plan = await detect(directorySourceReader(input.appDir));
  const script = renderBuildScript(plan, { appDir: input.appDir, cacheDir: input.cacheDir });
  await input.onScript?.(script);
  const build = await input.run(script);
  if (build.code !== 0) {
    const step = build.lastStep ? ` during "${build.lastStep}"` : '';
    throw new BuildFailure(`Build failed${step} (exit status ${build.code})`);
  }
  return { reused: false, commitSha, plan };
}
