export * from './check';
export * from './check-disk';
export * from './check-encryption-key';
export * from './check-postgres';
export * from './check-redis';
export * from './node-system';
export * from './run-checks';
