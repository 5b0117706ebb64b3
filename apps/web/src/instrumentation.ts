// Runs once when the server boots: a misconfigured web app stops here with a
// message naming each bad variable, instead of failing on its first request.
// The check lives in a Node-only module, so the edge bundle never sees process.exit.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
