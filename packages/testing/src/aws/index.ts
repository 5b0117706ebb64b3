export * from './builder-double';
export * from './count-leaks';
export * from './fault-proxy';
export * from './imds-server';
export * from './moto-server';
export * from './prepare-account';
export const TWIN_BIN = new URL('./twin-bin', import.meta.url).pathname;
