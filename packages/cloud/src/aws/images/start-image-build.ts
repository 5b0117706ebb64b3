import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { ImageBuildInput } from '@paas/core';
import { shipAgent } from '../agent/ship-agent';
import { artifactsBucket, exists, putText } from '../artifacts';
import type { AwsContext } from '../context';
import { toAppError } from '../errors';
import { awsNames, buildJobRef } from '../names';
import { network } from '../network';
import { renderBuilderUserData } from '../scripts/render-builder-user-data';
import { appTags, TAG, tagList } from '../tags';
import { type BuildRequest, splitRepoCredentials } from './builder-protocol';
import { liveBuilders } from './builders';
import { baseImage, imageOfBuild } from './images';

/**
 * Starts a bake: the request goes to the bucket (a git credential, if the URL
 * had one, or a source tarball's token, to Parameter Store), then one builder
 * instance is launched. Safe to
 * repeat: a build with an image, a result or a live builder is not started
 * again, and the launch carries a client token derived from the build id.
 */
export async function startImageBuild(ctx: AwsContext, input: ImageBuildInput): Promise<{ jobRef: string }> {
  const jobRef = buildJobRef(input.app.id, input.buildId);
  if (await imageOfBuild(ctx, input.buildId)) return { jobRef };
  if (await exists(ctx, awsNames.buildKey(input.app.id, input.buildId, 'result.json'))) return { jobRef };

  const split = splitRepoCredentials(input.repoUrl);
  const { url } = split;
  // A tarball's Authorization header (an installation token) takes the git credential's place:
  // a SecureString the builder reads with its role, deleted once the build ends; never user data.
  const credentials = input.archive ? input.archive.authorization : split.credentials;
  const credentialsParameter = credentials ? awsNames.gitCredentialsParameter(input.app.id, input.buildId) : null;
  if (credentialsParameter && credentials) {
    await ctx.clients.ssm
      .send(
        new PutParameterCommand({
          Name: credentialsParameter,
          Value: credentials,
          Type: 'SecureString',
          Overwrite: true,
        }),
      )
      .catch((error) => {
        throw toAppError(error, 'PutParameter (git credentials)');
      });
  }
  const request: BuildRequest = {
    buildId: input.buildId,
    app: { id: input.app.id, name: input.app.name },
    repoUrl: url,
    ref: input.ref,
    definition: input.definition,
    gitCredentialsParameter: credentialsParameter,
    archiveUrl: input.archive?.url ?? null,
  };
  await putText(ctx, awsNames.buildKey(input.app.id, input.buildId, 'request.json'), `${JSON.stringify(request)}\n`);
  if ((await liveBuilders(ctx, input.buildId)).length > 0) return { jobRef };

  const [bucket, imageId, net, agentKey] = await Promise.all([
    artifactsBucket(ctx),
    baseImage(ctx),
    network(ctx),
    shipAgent(ctx),
  ]);
  const userData = renderBuilderUserData({
    region: ctx.region,
    bucket,
    buildPrefix: awsNames.buildPrefix(input.app.id, input.buildId),
    agentKey,
  });
  const tags = tagList(
    appTags(input.app, { [TAG.build]: input.buildId, [TAG.role]: 'builder', Name: `paas builder ${input.app.name}` }),
  );
  try {
    await ctx.clients.ec2.send(
      new RunInstancesCommand({
        ClientToken: awsNames.builderToken(input.buildId),
        ImageId: imageId,
        InstanceType: ctx.settings.builderInstanceType as never,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: net.subnetIds[0],
        SecurityGroupIds: [net.instanceSecurityGroup],
        IamInstanceProfile: { Name: ctx.settings.instanceProfile },
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
        // A builder that powers itself off must not linger: it is imaged while running.
        InstanceInitiatedShutdownBehavior: 'terminate',
        UserData: Buffer.from(userData, 'utf8').toString('base64'),
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tags },
          { ResourceType: 'volume', Tags: tags },
        ],
      }),
    );
  } catch (error) {
    throw toAppError(error, `RunInstances (builder of ${input.app.name})`);
  }
  return { jobRef };
}
