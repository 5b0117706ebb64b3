export { CACHE_ENTRIES_KEPT } from './build-cache-script';
export { BUILD_DEFINITION, buildDefinitionFor, isValidRootDir, rootDirOf } from './build-definition';
export type {
  BuildPlan,
  GoBuildPlan,
  InstallCommand,
  NodeBuildPlan,
  PipInstallCommand,
  ProcessCommands,
  PythonBuildPlan,
  Stack,
  StaticBuildPlan,
} from './build-plan';
export { detect } from './detect';
export { DetectionError, isDetectionError } from './detection-error';
export { isValidProcessType, parseProcfile } from './procfile';
export { type BuildScriptOptions, renderBuildScript } from './render-build-script';
export { type FetchSourceOptions, renderFetchSourceScript } from './render-fetch-source-script';
export {
  nodeRuntimeEnv,
  type ProcessResources,
  readImageStack,
  runtimeEnv,
  runtimePath,
  STACK_FILE,
} from './runtime-env';
export { redactUrl, shellQuote } from './shell';
export { directorySourceReader, memorySourceReader, type SourceReader } from './source-reader';
