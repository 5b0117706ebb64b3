import {
  type Action,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type LoadBalancer,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AppError } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames } from '../names';
import { network } from '../network';
import { TAG, tagList } from '../tags';

/** Where an app's rules live: one of the shared load balancers and its listener for app traffic. */
export interface Placement {
  loadBalancerArn: string;
  listenerArn: string;
  dnsName: string;
  canonicalHostedZoneId: string;
}

const MAX_LOAD_BALANCERS = 50; // AWS's default per region
const NOT_FOUND = {
  Type: 'fixed-response',
  FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'No app is served at this address.\n' },
} satisfies Action;

/**
 * The app's load balancer. The choice is written once to Parameter Store
 * before any rule exists, so a retry after a crash uses the same one; a new
 * app goes to the first load balancer with room (rules, and target groups
 * counted for a red/black switch: see appsPerLoadBalancer), and a new load
 * balancer opens when all are full.
 */
export async function placementOf(ctx: AwsContext, appId: string, create: boolean): Promise<Placement | null> {
  const name = awsNames.placementParameter(appId);
  let lbName = await readPlacement(ctx, name);
  if (!lbName) {
    if (!create) return null;
    const chosen = await chooseLoadBalancer(ctx);
    try {
      await ctx.clients.ssm.send(new PutParameterCommand({ Name: name, Value: chosen, Type: 'String', Overwrite: false }));
      lbName = chosen;
    } catch (error) {
      if (!isAwsError(error, 'ParameterAlreadyExists')) throw toAppError(error, 'PutParameter (placement)');
      lbName = await readPlacement(ctx, name);
      if (!lbName) throw toAppError(error, 'PutParameter (placement)');
    }
  }
  return ensureLoadBalancer(ctx, lbName);
}

async function readPlacement(ctx: AwsContext, name: string): Promise<string | null> {
  return ctx.memo
    .once(`placement:${name}`, async () => {
      try {
        const out = await ctx.clients.ssm.send(new GetParameterCommand({ Name: name }));
        return out.Parameter?.Value ?? null;
      } catch (error) {
        if (isAwsError(error, 'ParameterNotFound')) return null;
        throw toAppError(error, 'GetParameter (placement)');
      }
    })
    .then((value) => {
      if (value === null) ctx.memo.forget(`placement:${name}`);
      return value;
    });
}

async function chooseLoadBalancer(ctx: AwsContext): Promise<string> {
  for (let index = 1; index <= MAX_LOAD_BALANCERS; index++) {
    const name = awsNames.loadBalancer(ctx.settings.loadBalancerPrefix, index);
    const lb = await findLoadBalancer(ctx, name);
    if (!lb) return name;
    const placement = await ensureLoadBalancer(ctx, name);
    if ((await listenerRules(ctx, placement.listenerArn)).length < ctx.settings.appsPerLoadBalancer) return name;
  }
  throw new AppError(
    'cloud_failed',
    `all ${MAX_LOAD_BALANCERS} load balancers of the platform are full; ask AWS for a higher quota`,
  );
}

/** Every rule of a listener but the default one, all pages. */
export async function listenerRules(ctx: AwsContext, listenerArn: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  let Marker: string | undefined;
  do {
    const out = await ctx.clients.elb
      .send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker, PageSize: 400 }))
      .catch((error) => {
        throw toAppError(error, 'DescribeRules');
      });
    rules.push(...(out.Rules ?? []).filter((r) => !r.IsDefault && r.RuleArn));
    Marker = out.NextMarker;
  } while (Marker);
  return rules;
}

async function findLoadBalancer(ctx: AwsContext, name: string): Promise<LoadBalancer | undefined> {
  try {
    const out = await ctx.clients.elb.send(new DescribeLoadBalancersCommand({ Names: [name] }));
    return oldest(out.LoadBalancers ?? []);
  } catch (error) {
    if (isAwsError(error, 'LoadBalancerNotFound', 'LoadBalancerNotFoundException')) return undefined;
    throw toAppError(error, 'DescribeLoadBalancers');
  }
}

/**
 * A shared load balancer with its listeners. With the base domain's
 * certificate: HTTPS on 443 carries the app rules and HTTP on 80 redirects to
 * it; without one, HTTP on 80 carries them.
 */
export async function ensureLoadBalancer(ctx: AwsContext, name: string): Promise<Placement> {
  return ctx.memo.once(`lb:${name}`, async () => {
    let lb = await findLoadBalancer(ctx, name);
    if (!lb) {
      const net = await network(ctx);
      const out = await ctx.clients.elb
        .send(
          new CreateLoadBalancerCommand({
            Name: name,
            Type: 'application',
            Scheme: 'internet-facing',
            IpAddressType: 'ipv4',
            Subnets: net.subnetIds,
            SecurityGroups: [net.loadBalancerSecurityGroup],
            Tags: tagList({ [TAG.managed]: 'true', Name: name }),
          }),
        )
        .catch((error) => {
          throw toAppError(error, 'CreateLoadBalancer');
        });
      const created = out.LoadBalancers?.[0];
      // AWS answers a second CreateLoadBalancer of a name with the first; an
      // emulator may make two. Every worker settles on the oldest, and a
      // duplicate made here is removed.
      lb = await findLoadBalancer(ctx, name);
      if (created?.LoadBalancerArn && lb?.LoadBalancerArn !== created.LoadBalancerArn) {
        await ctx.clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: created.LoadBalancerArn })).catch((error) => {
          throw toAppError(error, 'DeleteLoadBalancer (duplicate)');
        });
      }
    }
    if (!lb?.LoadBalancerArn) throw toAppError(new Error('no load balancer returned'), `CreateLoadBalancer ${name}`);
    const byPort = await listenersByPort(ctx, lb.LoadBalancerArn);
    const cert = ctx.settings.certificateArn;
    let appListener: string;
    if (cert) {
      appListener = byPort.get(443) ?? (await createListener(ctx, lb.LoadBalancerArn, 443, [NOT_FOUND], cert));
      if (!byPort.has(80)) {
        await createListener(ctx, lb.LoadBalancerArn, 80, [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ]);
      }
    } else {
      appListener = byPort.get(80) ?? (await createListener(ctx, lb.LoadBalancerArn, 80, [NOT_FOUND]));
    }
    return {
      loadBalancerArn: lb.LoadBalancerArn,
      listenerArn: appListener,
      dnsName: lb.DNSName ?? '',
      canonicalHostedZoneId: lb.CanonicalHostedZoneId ?? '',
    };
  });
}

/** The listener of each port; the oldest where an emulator let two workers make two. */
async function listenersByPort(ctx: AwsContext, lbArn: string): Promise<Map<number | undefined, string>> {
  const out = await ctx.clients.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn })).catch((error) => {
    throw toAppError(error, 'DescribeListeners');
  });
  const sorted = [...(out.Listeners ?? [])].sort((a, b) => String(a.ListenerArn).localeCompare(String(b.ListenerArn)));
  const byPort = new Map<number | undefined, string>();
  for (const l of sorted) if (!byPort.has(l.Port)) byPort.set(l.Port, l.ListenerArn as string);
  return byPort;
}

function oldest(lbs: LoadBalancer[]): LoadBalancer | undefined {
  return [...lbs].sort(
    (a, b) =>
      (a.CreatedTime?.getTime() ?? 0) - (b.CreatedTime?.getTime() ?? 0) ||
      String(a.LoadBalancerArn).localeCompare(String(b.LoadBalancerArn)),
  )[0];
}

async function createListener(ctx: AwsContext, lbArn: string, port: 80 | 443, actions: Action[], certificateArn?: string) {
  const out = await ctx.clients.elb
    .send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Port: port,
        Protocol: port === 443 ? 'HTTPS' : 'HTTP',
        DefaultActions: actions,
        ...(certificateArn
          ? { Certificates: [{ CertificateArn: certificateArn }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }
          : {}),
      }),
    )
    .catch((error) => {
      throw toAppError(error, `CreateListener :${port}`);
    });
  const arn = out.Listeners?.[0]?.ListenerArn;
  if (!arn) throw toAppError(new Error('no listener returned'), `CreateListener :${port}`);
  const chosen = (await listenersByPort(ctx, lbArn)).get(port) ?? arn;
  if (chosen !== arn) {
    await ctx.clients.elb.send(new DeleteListenerCommand({ ListenerArn: arn })).catch((error) => {
      throw toAppError(error, 'DeleteListener (duplicate)');
    });
  }
  return chosen;
}
