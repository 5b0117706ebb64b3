export type { BuildPlan, InstallCommand, ProcessCommands } from './build-plan';
export { detect } from './detect';
export { DetectionError, isDetectionError } from './detection-error';
export { isValidProcessType, parseProcfile } from './procfile';
export { type BuildScriptOptions, renderBuildScript } from './render-build-script';
export { type FetchSourceOptions, renderFetchSourceScript } from './render-fetch-source-script';
export { NODE_RUNTIME_ENV } from './runtime-env';
export { redactUrl, shellQuote } from './shell';
export { directorySourceReader, memorySourceReader, type SourceReader } from './source-reader';
