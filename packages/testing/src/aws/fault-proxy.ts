import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TargetState = 'healthy' | 'unhealthy' | 'initial' | 'draining' | 'unused';

/** What the proxy does to calls on their way to moto. Change fields at any time. */
export interface AwsFaults {
  /** Share of calls answered with the service's throttling error (0…1). */
  throttleRate: number;
  /** Emulates AWS's published per-account API rate limits (EC2, ELB): calls above them are throttled. */
  enforceRateLimits: boolean;
  /** Actions answered with the service's access-denied error, e.g. "RunInstances". */
  deny: Set<string>;
  /** Target health as the load balancer would report it: moto reports every running target healthy at once. */
  targetHealth: ((target: { instanceId: string; targetGroupArn: string }) => TargetState | null) | null;
}

/** Runs after moto has answered a call and before the caller gets the answer (how the twin sees CreateImage). */
export type AfterCall = (call: { params: URLSearchParams; status: number; body: string }) => Promise<void>;

export interface AwsFaultProxy {
  endpoint: string;
  faults: AwsFaults;
  /** Hooks by `service:Action`, e.g. "ec2:CreateImage". */
  after: Map<string, AfterCall>;
  /** Calls that reached the proxy, by `service:Action`. */
  calls: Map<string, number>;
  totalCalls(): number;
  throttled(): number;
  stop(): Promise<void>;
}

// AWS's per-account token buckets (capacity, refill per second).
const AWS_LIMITS: Record<string, [number, number]> = {
  'ec2:run': [5, 2],
  'ec2:mutate': [50, 5],
  'ec2:describe': [100, 20],
  elb: [40, 10],
  'elb:targets': [4, 4],
};

/**
 * A proxy in front of moto that plays what moto cannot: throttling, missing
 * permissions, and target health that changes. It speaks each service's own
 * error format, so the SDK classifies the errors exactly as it would on AWS.
 */
export async function startAwsFaultProxy(motoEndpoint: string): Promise<AwsFaultProxy> {
  const target = new URL(motoEndpoint);
  const faults: AwsFaults = { throttleRate: 0, enforceRateLimits: false, deny: new Set(), targetHealth: null };
  const calls = new Map<string, number>();
  const after = new Map<string, AfterCall>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  let throttled = 0;

  const take = (bucket: string): boolean => {
    const [capacity, rate] = AWS_LIMITS[bucket] as [number, number];
    const now = Date.now();
    const b = buckets.get(bucket) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    buckets.set(bucket, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const service = serviceOf(req);
    const action = actionOf(req, body, service);
    const key = `${service}:${action}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);

    if (faults.deny.has(action)) return sendError(res, service, 'denied');
    const overLimit = faults.enforceRateLimits && !withinLimits(service, action, take);
    if (overLimit || (service !== 'sts' && Math.random() < faults.throttleRate)) {
      throttled++;
      return sendError(res, service, 'throttled');
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      async (up) => {
        const hook = after.get(key);
        const rewrite = service === 'elasticloadbalancing' && action === 'DescribeTargetHealth' && faults.targetHealth;
        if (hook) {
          const text = (await readBody(up)).toString('utf8');
          const params = new URLSearchParams(body.toString('utf8'));
          await hook({ params, status: up.statusCode ?? 500, body: text }).catch((error) => {
            process.stderr.write(`aws twin: the ${key} hook failed: ${String(error)}\n`);
          });
          res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(Buffer.byteLength(text)) });
          res.end(text);
          return;
        }
        if (!rewrite) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        const text = (await readBody(up)).toString('utf8');
        const arn = new URLSearchParams(body.toString('utf8')).get('TargetGroupArn') ?? '';
        const out = Buffer.from(rewriteTargetHealth(text, arn, faults.targetHealth as NonNullable<AwsFaults['targetHealth']>));
        res.writeHead(up.statusCode ?? 200, { ...up.headers, 'content-length': String(out.length) });
        res.end(out);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    after,
    calls,
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    throttled: () => throttled,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function withinLimits(service: string, action: string, take: (bucket: string) => boolean): boolean {
  if (service === 'ec2') {
    if (action === 'RunInstances') return take('ec2:run');
    return take(/^(Describe|Get)/.test(action) ? 'ec2:describe' : 'ec2:mutate');
  }
  if (service === 'elasticloadbalancing') {
    if ((action === 'RegisterTargets' || action === 'DeregisterTargets') && !take('elb:targets')) return false;
    return take('elb');
  }
  return true;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function serviceOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown';
}

function actionOf(req: IncomingMessage, body: Buffer, service: string): string {
  const amzTarget = req.headers['x-amz-target'];
  if (typeof amzTarget === 'string') return amzTarget.split('.').pop() ?? amzTarget;
  if (service === 's3' || service === 'route53') return `${req.method} ${String(req.url).split('?')[0]}`;
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? 'unknown';
}

function sendError(res: ServerResponse, service: string, kind: 'throttled' | 'denied'): void {
  const id = randomUUID();
  if (service === 'ssm' || service === 'acm') {
    const type = kind === 'throttled' ? 'ThrottlingException' : 'AccessDeniedException';
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': id });
    res.end(JSON.stringify({ __type: type, message: kind === 'throttled' ? 'Rate exceeded' : 'not authorized' }));
    return;
  }
  if (service === 'ec2') {
    const code = kind === 'throttled' ? 'RequestLimitExceeded' : 'UnauthorizedOperation';
    res.writeHead(kind === 'throttled' ? 503 : 403, { 'content-type': 'text/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${kind === 'throttled' ? 'Request limit exceeded.' : 'You are not authorized to perform this operation.'}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`,
    );
    return;
  }
  if (service === 's3') {
    const code = kind === 'throttled' ? 'SlowDown' : 'AccessDenied';
    res.writeHead(kind === 'throttled' ? 503 : 403, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message><RequestId>${id}</RequestId></Error>`,
    );
    return;
  }
  const code = kind === 'throttled' ? 'Throttling' : 'AccessDenied';
  res.writeHead(kind === 'throttled' ? 400 : 403, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${kind === 'throttled' ? 'Rate exceeded' : 'User is not authorized'}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
  );
}

function rewriteTargetHealth(xml: string, targetGroupArn: string, health: NonNullable<AwsFaults['targetHealth']>): string {
  return xml.replace(/<member>([\s\S]*?)<\/member>/g, (member, inner: string) => {
    const instanceId = /<Id>([^<]+)<\/Id>/.exec(inner)?.[1];
    if (!instanceId || !/<TargetHealth>/.test(inner)) return member;
    const state = health({ instanceId, targetGroupArn });
    if (state === null) return member;
    const reason =
      state === 'unhealthy' ? '<Reason>Target.FailedHealthChecks</Reason><Description>Health checks failed</Description>' : '';
    return member.replace(
      /<TargetHealth>[\s\S]*?<\/TargetHealth>/,
      `<TargetHealth><State>${state}</State>${reason}</TargetHealth>`,
    );
  });
}
