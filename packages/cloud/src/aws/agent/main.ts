// The instance agent, bundled into one file the instance runs with node:
//   node agent.mjs build   (a builder: build, report, wait to be imaged)
//   node agent.mjs run     (an app instance: config, process, restarts, logs)
// Everything it needs comes from the user data's environment and the instance role.
import type { BuildResult } from '../images/builder-protocol';
import { runBuild } from './build-mode';
import { instanceFromEnv } from './instance';
import { runApp, runSpecFromEnv } from './run-mode';
import { writeText } from './s3-text';

async function main(mode: string | undefined): Promise<number> {
  const instance = instanceFromEnv();
  if (mode === 'build') {
    const prefix = process.env.PAAS_BUILD_PREFIX;
    if (!prefix) throw new Error('the agent needs PAAS_BUILD_PREFIX (set by the user data)');
    try {
      const result = await runBuild(instance, prefix);
      return result.state === 'succeeded' ? 0 : 1;
    } catch (error) {
      // Report at once, so the platform does not wait out its deadline for a result that will not come.
      const failed: BuildResult = { state: 'failed', error: `the builder's agent failed: ${String(error)}` };
      await writeText(instance, `${prefix}result.json`, `${JSON.stringify(failed)}\n`).catch(() => {});
      throw error;
    }
  }
  if (mode === 'run') {
    await runApp(instance, runSpecFromEnv());
    return 0;
  }
  process.stderr.write('usage: agent.mjs build|run\n');
  return 2;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`paas agent: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
