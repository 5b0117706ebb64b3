export { createCloudInventory } from './create-cloud-inventory';
export type { CloudEnv } from './create-cloud-provider';
