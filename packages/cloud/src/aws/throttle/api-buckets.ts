// AWS's API rate limits are token buckets per account and region (EC2 and ELB
// publish theirs). Every worker process draws from the same buckets in Redis,
// so together they stay within them instead of each throttling the others.
// Rates sit a little under AWS's so requests of other tools in the account fit.
export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

export const API_BUCKETS = {
  'ec2-run-instances': { capacity: 5, perSecond: 2 },
  'ec2-mutate': { capacity: 50, perSecond: 5 },
  'ec2-describe': { capacity: 100, perSecond: 20 },
  elb: { capacity: 40, perSecond: 10 },
  'elb-targets': { capacity: 4, perSecond: 4 },
  autoscaling: { capacity: 40, perSecond: 10 },
  ssm: { capacity: 40, perSecond: 20 },
  acm: { capacity: 10, perSecond: 5 },
  route53: { capacity: 5, perSecond: 5 },
  // GetMetricData: 50 calls a second per account and region.
  cloudwatch: { capacity: 40, perSecond: 40 },
} as const satisfies Record<string, BucketSpec>;

export type BucketName = keyof typeof API_BUCKETS;

const READ = /^(Describe|Get|List)/;

/** The buckets one call of `command` (e.g. "RunInstancesCommand") on `service` draws a token from. */
export function bucketsFor(service: string, command: string): BucketName[] {
  const action = command.replace(/Command$/, '');
  switch (service) {
    case 'ec2':
      if (action === 'RunInstances') return ['ec2-run-instances'];
      return [READ.test(action) ? 'ec2-describe' : 'ec2-mutate'];
    case 'elb':
      // Register/Deregister have a bucket of their own, inside ELB's account-wide one.
      return action === 'RegisterTargets' || action === 'DeregisterTargets' ? ['elb-targets', 'elb'] : ['elb'];
    case 'autoscaling':
    case 'ssm':
    case 'acm':
    case 'route53':
    case 'cloudwatch':
      return [service];
    default:
      return [];
  }
}
