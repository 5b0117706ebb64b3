export * from './load-env';
export * from './logger';
export * from './schemas';
