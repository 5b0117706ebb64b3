export { createLocalProvider, type LocalProviderOptions } from './create-local-provider';
export { stopAllLocalProcesses } from './process/stop-all-local-processes';
export { type RouterOptions, type RunningRouter, startRouter } from './router/start-router';
export { layout as localDataLayout } from './state/layout';
