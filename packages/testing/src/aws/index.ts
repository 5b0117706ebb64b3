export * from './builder-double';
export * from './count-leaks';
export * from './fault-proxy';
export * from './imds-server';
export * from './moto-server';
export * from './prepare-account';
export { type InstanceRunner, TWIN_BIN, type TwinInstance } from './twin/instance-runner';
export type { TwinLoadBalancer } from './twin/load-balancer';
export { type AwsTwin, startAwsTwin } from './twin/start-aws-twin';
