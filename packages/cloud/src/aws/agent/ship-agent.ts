import { createHash } from 'node:crypto';
import { exists, putText } from '../artifacts';
import type { AwsContext } from '../context';

let bundle: Promise<{ code: string; digest: string }> | null = null;

/**
 * The agent as one ES module (the SDK clients and the build definition inside),
 * bundled once per process from this checkout's source, so what an instance
 * runs is always the code the platform was tested with.
 */
export function agentBundle(): Promise<{ code: string; digest: string }> {
  bundle ??= (async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [new URL('./main.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      minify: true,
      legalComments: 'none',
      // Some SDK dependencies are CommonJS and call require() on node builtins.
      banner: {
        js: "import { createRequire as __paasRequire } from 'node:module'; const require = __paasRequire(import.meta.url);",
      },
    });
    const code = out.outputFiles[0]?.text ?? '';
    return { code, digest: createHash('sha256').update(code).digest('hex').slice(0, 16) };
  })();
  bundle.catch(() => {
    bundle = null;
  });
  return bundle;
}

/**
 * The agent's key in the artifacts bucket, uploaded when missing. Keys are
 * content-addressed, so builders of different platform versions never see
 * each other's agent, and an upload is never repeated.
 */
export async function shipAgent(ctx: AwsContext): Promise<string> {
  const { code, digest } = await agentBundle();
  const key = `agent/${digest}/agent.mjs`;
  return ctx.memo.once(`agent:${key}`, async () => {
    if (!(await exists(ctx, key))) await putText(ctx, key, code);
    return key;
  });
}
