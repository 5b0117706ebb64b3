// CloudWatch names an ALB and its target groups by the tail of their ARNs:
// `app/<name>/<id>` and `targetgroup/<name>/<id>`. The same two values,
// joined, are the ResourceLabel of a request-count scaling policy.

/** `arn:…:loadbalancer/app/<name>/<id>` → `app/<name>/<id>`. */
export function loadBalancerDimension(loadBalancerArn: string): string {
  const tail = /:loadbalancer\/(app\/[^/]+\/[^/]+)$/.exec(loadBalancerArn)?.[1];
  if (!tail) throw new Error(`not an application load balancer ARN: ${loadBalancerArn}`);
  return tail;
}

/** `arn:…:targetgroup/<name>/<id>` → `targetgroup/<name>/<id>`. */
export function targetGroupDimension(targetGroupArn: string): string {
  const tail = /:(targetgroup\/[^/]+\/[^/]+)$/.exec(targetGroupArn)?.[1];
  if (!tail) throw new Error(`not a target group ARN: ${targetGroupArn}`);
  return tail;
}

/** What ALBRequestCountPerTarget needs to know which target group's requests to count. */
export function requestCountResourceLabel(loadBalancerArn: string, targetGroupArn: string): string {
  return `${loadBalancerDimension(loadBalancerArn)}/${targetGroupDimension(targetGroupArn)}`;
}
