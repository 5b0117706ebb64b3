import type { InstanceSize } from '@paas/core';
import type { AwsSettings } from './settings';

// The EC2 instance type each size runs on: burstable x86 types, one dyno per
// instance, the app's memory limit below the instance's memory.
export const DEFAULT_INSTANCE_TYPES: Readonly<Record<InstanceSize, string>> = {
  small: 't3.micro',
  medium: 't3.small',
  large: 't3.medium',
  xlarge: 't3.xlarge',
};

export function instanceTypeFor(size: InstanceSize, settings: Pick<AwsSettings, 'instanceTypes'>): string {
  return settings.instanceTypes[size] ?? DEFAULT_INSTANCE_TYPES[size];
}
