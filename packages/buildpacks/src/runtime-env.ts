/** What a process may use, as the platform sized it. */
export interface ProcessResources {
  memoryMb: number;
  cpus: number;
}

/**
 * Defaults every process of a Node image starts with; the app's config vars
 * override them. Like Heroku's Node buildpack, the heap is fitted to the
 * instance's memory and WEB_CONCURRENCY to its CPUs.
 */
export function nodeRuntimeEnv(resources: ProcessResources): Record<string, string> {
  return {
    NODE_ENV: 'production',
    MEMORY_AVAILABLE: String(resources.memoryMb),
    WEB_MEMORY: String(resources.memoryMb),
    WEB_CONCURRENCY: String(resources.cpus),
    NODE_OPTIONS: `--max-old-space-size=${Math.floor(resources.memoryMb * 0.75)}`,
    // `npm start` would otherwise ask the registry for a newer npm at every start, and log about it.
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  };
}
