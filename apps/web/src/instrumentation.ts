// Runs once when the server boots: a misconfigured web app stops here with a
// message naming each bad variable, instead of failing on its first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { EnvError, loadEnv, webEnvSchema } = await import('@paas/config');
  try {
    loadEnv('web app', webEnvSchema);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
