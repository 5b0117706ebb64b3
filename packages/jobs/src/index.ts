export * from './catalog';
export * from './job-queue';
export * from './job-worker';
export * from './redis';
