import { getText, putText } from './artifacts';
import type { AwsContext } from './context';
import { describeInstances, terminate } from './images/builders';
import { awsNames } from './names';
import { TAG, tagValue } from './tags';

/**
 * What no deployment will ever clean up: a builder whose build was abandoned
 * (its deployment deleted, the platform down past the deadline). Any builder
 * older than the longest a build may take is ended with a failed result and
 * terminated. Everything else AWS keeps running by itself.
 */
export async function sweepBuilders(ctx: AwsContext): Promise<number> {
  const builders = await describeInstances(ctx, [
    { Name: `tag:${TAG.role}`, Values: ['builder'] },
    { Name: `tag:${TAG.managed}`, Values: ['true'] },
    { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
  ]);
  const stale = builders.filter((b) => Date.now() - (b.LaunchTime?.getTime() ?? Date.now()) > ctx.builderMaxAgeMs);
  for (const builder of stale) {
    const appId = tagValue(builder.Tags, TAG.app);
    const buildId = tagValue(builder.Tags, TAG.build);
    if (appId && buildId) {
      const key = awsNames.buildKey(appId, buildId, 'result.json');
      if ((await getText(ctx, key)) === null) {
        await putText(ctx, key, `${JSON.stringify({ state: 'failed', error: 'The build ran past its time limit' })}\n`);
      }
    }
  }
  await terminate(
    ctx,
    stale.map((b) => b.InstanceId as string),
  );
  if (stale.length > 0) ctx.log.warn('terminated builders past their deadline', { count: stale.length });
  return stale.length;
}
