// What tests of other packages need to look inside the local provider: which
// processes it runs (by their tags) and where its state lives.
export { findTaggedProcesses, readProcStat, TAG } from './process/proc';
export { layout as localDataLayout } from './state/layout';
