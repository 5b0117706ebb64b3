export { BuildFailure, type BuildOutcome, type BuildSourceInput, buildSource } from './build-source';
export { ArchiveDownloadError, downloadArchive } from './download-archive';
export { type BuildLog, runScript, type ScriptOptions, type ScriptRun } from './run-script';
