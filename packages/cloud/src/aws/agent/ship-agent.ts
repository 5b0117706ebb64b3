import { type Bundle, bundleModule } from '../../bundle/bundle-module';
import { exists, putText } from '../artifacts';
import type { AwsContext } from '../context';

/** The agent as one ES module (the SDK clients and the build definition inside). */
export function agentBundle(): Promise<Bundle> {
  return bundleModule(new URL('./main.ts', import.meta.url), { minify: true });
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
