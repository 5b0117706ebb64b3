import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImdsInstance {
  instanceId: string;
  region: string;
  /** The instance profile's role and the credentials it hands out (ones the emulator accepts). */
  role: { name: string; accessKeyId: string; secretAccessKey: string; token: string };
  /** The user data, as EC2 serves it (decoded). */
  userData?: string;
  /** The instance's tags, served under tags/instance/ (the launch templates allow it). */
  tags?: Record<string, string>;
}

export interface ImdsServer {
  /** For AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  endpoint: string;
  /** Requests refused for want of a session token (IMDSv1 attempts). */
  refusedV1: number;
  stop(): Promise<void>;
}

const TOKEN_TTL_MAX = 21_600;

/**
 * The instance metadata service of one instance of the AWS twin, IMDSv2 only
 * (as the platform's launch templates require): a PUT for a session token,
 * then GETs that carry it. Anything else answers 401, like EC2 with
 * HttpTokens=required. It serves what the platform's scripts and the SDK read:
 * the instance id, region, user data and the role's credentials.
 */
export async function startImdsServer(instance: ImdsInstance): Promise<ImdsServer> {
  const tokens = new Map<string, number>();
  const state = { refusedV1: 0 };
  const expiration = () => new Date(Date.now() + 3600_000).toISOString();
  const paths: Record<string, () => string | undefined> = {
    '/latest/meta-data/instance-id': () => instance.instanceId,
    '/latest/meta-data/placement/region': () => instance.region,
    '/latest/meta-data/placement/availability-zone': () => `${instance.region}a`,
    '/latest/meta-data/iam/security-credentials/': () => instance.role.name,
    [`/latest/meta-data/iam/security-credentials/${instance.role.name}`]: () =>
      JSON.stringify({
        Code: 'Success',
        Type: 'AWS-HMAC',
        AccessKeyId: instance.role.accessKeyId,
        SecretAccessKey: instance.role.secretAccessKey,
        Token: instance.role.token,
        Expiration: expiration(),
        LastUpdated: new Date().toISOString(),
      }),
    '/latest/user-data': () => instance.userData,
    '/latest/meta-data/tags/instance': () => (instance.tags ? Object.keys(instance.tags).join('\n') : undefined),
    ...Object.fromEntries(Object.entries(instance.tags ?? {}).map(([k, v]) => [`/latest/meta-data/tags/instance/${k}`, () => v])),
    '/latest/dynamic/instance-identity/document': () =>
      JSON.stringify({ instanceId: instance.instanceId, region: instance.region, availabilityZone: `${instance.region}a` }),
  };

  const answer = (res: ServerResponse, status: number, body = '') => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (req.method === 'PUT' && path === '/latest/api/token') {
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > TOKEN_TTL_MAX) return answer(res, 400);
      const token = randomBytes(24).toString('base64');
      tokens.set(token, Date.now() + ttl * 1000);
      res.writeHead(200, { 'content-type': 'text/plain', 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
      return res.end(token);
    }
    const token = req.headers['x-aws-ec2-metadata-token'];
    const until = typeof token === 'string' ? tokens.get(token) : undefined;
    if (until === undefined || until < Date.now()) {
      state.refusedV1++;
      return answer(res, 401);
    }
    if (req.method !== 'GET') return answer(res, 405);
    const value = paths[path]?.();
    return value === undefined ? answer(res, 404) : answer(res, 200, value);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get refusedV1() {
      return state.refusedV1;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
