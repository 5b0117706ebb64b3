import type { CreateTargetGroupCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { HealthCheck } from '@paas/core';
import { APP_PORT } from '../network';
import { type TagMap, tagList } from '../tags';

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(n)));

/**
 * The target group of a web server group. The platform's health check mapped
 * into what an ALB allows (interval 5–300 s, timeout below the interval,
 * thresholds 2–10): the defaults switch in about 10 s once an app answers.
 * Any answer below 500 counts as healthy, as on the local router.
 */
export function targetGroupInput(input: {
  name: string;
  vpcId: string;
  healthCheck: HealthCheck;
  tags: TagMap;
}): CreateTargetGroupCommandInput {
  const interval = clamp(input.healthCheck.intervalMs / 1000, 5, 300);
  return {
    Name: input.name,
    Protocol: 'HTTP',
    Port: APP_PORT,
    VpcId: input.vpcId,
    TargetType: 'instance',
    HealthCheckEnabled: true,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckPath: input.healthCheck.path,
    HealthCheckIntervalSeconds: interval,
    HealthCheckTimeoutSeconds: clamp(input.healthCheck.timeoutMs / 1000, 2, Math.min(120, interval - 1)),
    HealthyThresholdCount: clamp(input.healthCheck.healthyThreshold, 2, 10),
    UnhealthyThresholdCount: clamp(input.healthCheck.unhealthyThreshold, 2, 10),
    Matcher: { HttpCode: '200-499' },
    Tags: tagList(input.tags),
  };
}
