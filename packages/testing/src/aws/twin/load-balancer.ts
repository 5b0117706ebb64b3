import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type Rule,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { TargetState } from '../fault-proxy';
import { MOTO_CREDENTIALS } from '../moto-server';
import type { AlbMetrics } from './alb-metrics';
import type { InstanceRunner } from './instance-runner';
import { serialized } from './serialized';

export interface TwinLoadBalancer {
  /** Where every load balancer's app listener answers (plain HTTP; a 443 listener's rules are served here too). */
  url: string;
  port: number;
  /** Target health as the twin's own health checks found it; null for a target it does not know. */
  healthOf(targetGroupArn: string, instanceId: string): TargetState | null;
  /** Reads moto's listeners, rules and registrations now. */
  sync(): Promise<void>;
  /** Requests answered 5xx by the load balancer itself (no target, or a target that did not answer). */
  readonly errors: number;
  stop(): Promise<void>;
}

interface Check {
  state: TargetState;
  ok: number;
  failed: number;
  nextAt: number;
  running: boolean;
}

interface Routes {
  /** Rules of each load balancer's app listener, by priority, the default last. */
  rules: Rule[];
  groups: Map<string, TargetGroup>;
  /** Registered instance ids by target group. */
  targets: Map<string, string[]>;
  /** The load balancer of each rule, by rule ARN. */
  loadBalancerOf: Map<string, string>;
}

/**
 * The load balancer of the twin: routes by moto's listeners, host-header
 * rules and weighted target groups to the instances' processes, and runs each
 * target group's health check for real (path, matcher, interval, thresholds;
 * the interval scaled by `timeScale` so a test needs not wait AWS's seconds).
 * Like an ALB, a target group with no healthy target fails open to all of its
 * targets, and one with none answers 503. With `metrics`, what it proxied
 * is published to CloudWatch as an ALB would (see alb-metrics.ts).
 */
export async function startTwinLoadBalancer(options: {
  motoEndpoint: string;
  runner: InstanceRunner;
  region?: string;
  timeScale?: number;
  intervalMs?: number;
  metrics?: AlbMetrics;
}): Promise<TwinLoadBalancer> {
  const elb = new ElasticLoadBalancingV2Client({
    region: options.region ?? 'us-east-1',
    endpoint: options.motoEndpoint,
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 2,
  });
  const scale = options.timeScale ?? 0.1;
  let routes: Routes = { rules: [], groups: new Map(), targets: new Map(), loadBalancerOf: new Map() };
  const checks = new Map<string, Check>(); // `${tg} ${instanceId}`
  const turn = new Map<string, number>();
  let errors = 0;
  let stopped = false;

  const syncOnce = async () => {
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const rules: Rule[] = [];
    const loadBalancerOf = new Map<string, string>();
    for (const lb of lbs) {
      const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
      const app = listeners.find((l) => l.Port === 443) ?? listeners.find((l) => l.Port === 80);
      if (!app) continue;
      const listed = (await elb.send(new DescribeRulesCommand({ ListenerArn: app.ListenerArn }))).Rules ?? [];
      const priority = (r: Rule) => (r.IsDefault ? Number.MAX_SAFE_INTEGER : Number(r.Priority));
      rules.push(...listed.filter((r) => !r.IsDefault).sort((a, b) => priority(a) - priority(b)));
      const fallback = listed.find((r) => r.IsDefault);
      if (fallback) rules.push(fallback);
      for (const rule of listed) loadBalancerOf.set(rule.RuleArn as string, lb.LoadBalancerArn as string);
    }
    const groups = new Map<string, TargetGroup>();
    for (const tg of (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []) {
      groups.set(tg.TargetGroupArn as string, tg);
    }
    const targets = new Map<string, string[]>();
    for (const arn of groups.keys()) {
      const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })).catch(() => null);
      targets.set(arn, (health?.TargetHealthDescriptions ?? []).map((t) => t.Target?.Id as string).filter(Boolean));
    }
    routes = { rules, groups, targets, loadBalancerOf };
    const registered = new Set<string>();
    for (const [arn, ids] of targets) {
      for (const id of ids) {
        const key = `${arn} ${id}`;
        registered.add(key);
        if (!checks.has(key)) checks.set(key, { state: 'initial', ok: 0, failed: 0, nextAt: 0, running: false });
      }
    }
    for (const key of checks.keys()) if (!registered.has(key)) checks.delete(key);
  };
  const sync = serialized(syncOnce);

  const runCheck = async (key: string, check: Check) => {
    const [arn, instanceId] = key.split(' ') as [string, string];
    const tg = routes.groups.get(arn);
    const instance = options.runner.get(instanceId);
    const timeoutMs = Math.max(200, (tg?.HealthCheckTimeoutSeconds ?? 5) * 1000 * scale * 2);
    let ok = false;
    if (tg && instance && !instance.exited) {
      const status = await probe(instance.hostPort, tg.HealthCheckPath ?? '/', timeoutMs);
      ok = status !== null && matches(tg.Matcher?.HttpCode ?? '200', status);
    }
    if (!checks.has(key)) return;
    if (ok) {
      check.ok++;
      check.failed = 0;
      if (check.ok >= (tg?.HealthyThresholdCount ?? 5)) check.state = 'healthy';
    } else {
      check.failed++;
      check.ok = 0;
      if (check.failed >= (tg?.UnhealthyThresholdCount ?? 2)) check.state = 'unhealthy';
    }
    check.nextAt = Date.now() + (tg?.HealthCheckIntervalSeconds ?? 30) * 1000 * scale;
  };

  const loop = async () => {
    let lastSync = 0;
    while (!stopped) {
      if (Date.now() - lastSync >= (options.intervalMs ?? 500)) {
        lastSync = Date.now();
        await sync().catch((error) => process.stderr.write(`aws twin: load balancer sync failed: ${String(error)}\n`));
      }
      for (const [key, check] of checks) {
        if (check.running || check.nextAt > Date.now()) continue;
        check.running = true;
        void runCheck(key, check).finally(() => {
          check.running = false;
        });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const pickTarget = (
    action: Action | undefined,
  ): { port: number; targetGroupArn: string } | { status: number; body: string } => {
    if (!action) return { status: 503, body: 'no listener' };
    if (action.Type === 'fixed-response') {
      return {
        status: Number(action.FixedResponseConfig?.StatusCode ?? 503),
        body: action.FixedResponseConfig?.MessageBody ?? '',
      };
    }
    const weighted = action.ForwardConfig?.TargetGroups?.length
      ? action.ForwardConfig.TargetGroups.map((t) => ({ arn: t.TargetGroupArn as string, weight: t.Weight ?? 1 }))
      : [{ arn: action.TargetGroupArn as string, weight: 1 }];
    const total = weighted.reduce((sum, t) => sum + t.weight, 0);
    if (total <= 0) return { status: 503, body: 'no target group has weight' };
    const roll = Math.random() * total;
    let upTo = 0;
    const chosen =
      weighted.find((t) => {
        upTo += t.weight;
        return roll < upTo;
      }) ?? weighted[weighted.length - 1];
    const ids = routes.targets.get(chosen?.arn ?? '') ?? [];
    const healthy = ids.filter((id) => checks.get(`${chosen?.arn} ${id}`)?.state === 'healthy');
    const pool = (healthy.length > 0 ? healthy : ids)
      .map((id) => options.runner.get(id))
      .filter((i): i is NonNullable<typeof i> => i !== undefined);
    if (pool.length === 0) return { status: 503, body: 'no registered target is running' };
    const n = turn.get(chosen?.arn ?? '') ?? 0;
    turn.set(chosen?.arn ?? '', n + 1);
    return { port: (pool[n % pool.length] as (typeof pool)[number]).hostPort, targetGroupArn: chosen?.arn as string };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const host = String(req.headers.host ?? '')
      .replace(/:\d+$/, '')
      .toLowerCase();
    const rule = routes.rules.find((r) => r.IsDefault || hostMatches(r, host));
    const target = pickTarget(rule?.Actions?.find((a) => a.Type === 'forward' || a.Type === 'fixed-response'));
    const at = new Date();
    const loadBalancerArn = routes.loadBalancerOf.get(rule?.RuleArn ?? '');
    if ('status' in target) {
      if (target.status >= 500) errors++;
      if (loadBalancerArn) options.metrics?.record({ at, loadBalancerArn, targetGroupArn: null, status: target.status });
      res.writeHead(target.status, { 'content-type': 'text/plain' });
      res.end(target.body);
      return;
    }
    const sent = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - sent) / 1e9;
    const upstream = request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '', 'x-forwarded-proto': 'http' },
      },
      (up) => {
        if (loadBalancerArn)
          options.metrics?.record({
            at,
            loadBalancerArn,
            targetGroupArn: target.targetGroupArn,
            status: up.statusCode ?? 502,
            seconds: seconds(),
          });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      errors++;
      if (loadBalancerArn && !res.headersSent)
        options.metrics?.record({ at, loadBalancerArn, targetGroupArn: target.targetGroupArn, status: null, seconds: seconds() });
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('502 Bad Gateway');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const running = loop();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    healthOf: (arn, instanceId) => checks.get(`${arn} ${instanceId}`)?.state ?? null,
    sync,
    get errors() {
      return errors;
    },
    async stop() {
      stopped = true;
      await running;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      elb.destroy();
    },
  };
}

function hostMatches(rule: Rule, host: string): boolean {
  const hostConditions = (rule.Conditions ?? []).filter((c) => c.Field === 'host-header');
  if (hostConditions.length === 0) return false;
  return hostConditions.every((c) =>
    (c.HostHeaderConfig?.Values ?? c.Values ?? []).some((pattern) => {
      const re = new RegExp(
        `^${pattern
          .toLowerCase()
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
      return re.test(host);
    }),
  );
}

/** An ALB matcher: "200", "200,302" or "200-399". */
function matches(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [from, to] = part.split('-').map(Number);
    return to === undefined ? status === from : status >= (from as number) && status <= to;
  });
}

function probe(port: number, path: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}
