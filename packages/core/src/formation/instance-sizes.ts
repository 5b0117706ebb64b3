// The sizes a process type can run at. Each provider maps a size to what it
// runs on (an EC2 instance type on AWS; memory and CPU hints on one machine).
export const INSTANCE_SIZES = ['small', 'medium', 'large', 'xlarge'] as const;

export type InstanceSize = (typeof INSTANCE_SIZES)[number];

export const INSTANCE_SIZE_SPECS: Readonly<Record<InstanceSize, { memoryMb: number; cpus: number }>> = {
  small: { memoryMb: 512, cpus: 1 },
  medium: { memoryMb: 1024, cpus: 1 },
  large: { memoryMb: 2048, cpus: 2 },
  xlarge: { memoryMb: 4096, cpus: 4 },
};

export function isInstanceSize(value: string): value is InstanceSize {
  return (INSTANCE_SIZES as readonly string[]).includes(value);
}
