export type { AutoscalingTimings } from './context';
export { createLocalInventory } from './create-local-inventory';
export { createLocalProvider, type LocalProviderOptions } from './create-local-provider';
export { defaultIsolation } from './local-runtime';
export { stopAllLocalProcesses } from './process/stop-all-local-processes';
export { type RouterOptions, type RunningRouter, startRouter } from './router/start-router';
export { layout as localDataLayout } from './state/layout';
export { removeLocalData } from './teardown/remove-local-data';
