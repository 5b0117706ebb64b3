export { type CloudEnv, createCloudProvider } from './create-cloud-provider';
export {
  createLocalProvider,
  type LocalProviderOptions,
  type RouterOptions,
  type RunningRouter,
  startRouter,
  stopAllLocalProcesses,
} from './local/index';
