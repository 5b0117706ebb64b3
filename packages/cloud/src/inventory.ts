export type { CloudEnv } from './cloud-env';
export { createCloudInventory } from './create-cloud-inventory';
