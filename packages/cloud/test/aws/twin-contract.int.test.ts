import { describeCloudProviderContract } from '@paas/testing';
import { startAwsTwin } from '@paas/testing/aws';
import { Redis } from 'ioredis';
import { emulatedAwsProvider } from './emulated-provider';

// The AWS provider through the whole contract, data plane included, on the AWS
// twin: builders and instances run their real user data and the agent, and the
// twin's load balancer health-checks them.
describeCloudProviderContract('aws twin', async () => {
  const twin = await startAwsTwin();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const provider = emulatedAwsProvider(twin.endpoint, redis);
  return {
    provider,
    instanceUrl(instance) {
      const running = twin.runner.get(instance.id);
      if (!running) throw new Error(`the twin runs no instance ${instance.id}`);
      return `http://127.0.0.1:${running.hostPort}`;
    },
    async cleanup() {
      redis.disconnect();
      await twin.stop();
    },
  };
});
