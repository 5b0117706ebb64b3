export * from './cloud-provider-contract';
export * from './database';
export * from './git-fixture';
export * from './github-push';
export * from './http-via-router';
export * from './platform';
export * from './redis-server';
export * from './sample-app';
