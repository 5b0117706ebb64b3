export { type CloudEnv, localConfigKey, providerPollIntervals } from './cloud-env';
export { createCloudRegistry } from './create-cloud-registry';
export {
  createLocalProvider,
  defaultIsolation,
  type LocalProviderOptions,
  type RouterOptions,
  type RunningRouter,
  removeLocalData,
  startRouter,
  stopAllLocalProcesses,
} from './local/index';
