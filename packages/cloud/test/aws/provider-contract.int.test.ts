import { describeCloudProviderContract } from '@paas/testing';
import { prepareAwsAccount, startBuilderDouble, startMotoServer } from '@paas/testing/aws';
import { Redis } from 'ioredis';
import { emulatedAwsProvider } from './emulated-provider';

// The AWS provider on moto, through the same contract as the local one. moto
// records instances without running them: a builder double plays the builder.
describeCloudProviderContract(
  'aws',
  async () => {
    const moto = await startMotoServer();
    await prepareAwsAccount(moto.endpoint);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    const builder = startBuilderDouble({ endpoint: moto.endpoint, region: 'us-east-1' });
    const provider = emulatedAwsProvider(moto.endpoint, redis);
    return {
      provider,
      async cleanup() {
        await builder.stop();
        redis.disconnect();
        await moto.stop();
      },
    };
  },
  { runsInstances: false },
);
