import { EnvError, loadEnv, webEnvSchema } from '@paas/config';

try {
  loadEnv('web app', webEnvSchema);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}
