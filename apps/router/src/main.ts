import { startRouter } from '@paas/cloud';
import { createLogger, loadEnv, routerEnvSchema } from '@paas/config';

// The local provider's load balancer: Host header → an app's healthy processes.
const log = createLogger('router');

async function main() {
  const env = loadEnv('router', routerEnvSchema);
  const router = await startRouter({ dataDir: env.PAAS_DATA_DIR, port: env.PAAS_ROUTER_PORT, host: env.PAAS_ROUTER_HOST });
  log.info('router listening', { url: router.url });
  const stop = async () => {
    await router.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
