export { BuildFailure, type BuildOutcome, type BuildSourceInput, buildSource } from './build-source';
export { type BuildLog, runScript, type ScriptOptions, type ScriptRun } from './run-script';
