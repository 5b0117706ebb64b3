import 'server-only';
import {
  configPatchSchema,
  createAppInputSchema,
  createCloudAccountSchema,
  deployInputSchema,
  PERMISSIONS,
  type Permission,
  rollbackInputSchema,
  updateFormationInputSchema,
} from '@paas/core';
import { z } from 'zod';

// The REST API's description, served at /api/v1/openapi.json. Request bodies
// come from the same zod schemas the use cases parse with, so the document
// cannot drift from what the server accepts; a test checks that every route
// file is described here and that nothing described is missing a route.

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonSchema = Record<string, unknown>;

interface Operation {
  summary: string;
  /** The least role allowed: the permission checked (none: any signed-in caller, or public). */
  permission?: Permission;
  body?: JsonSchema;
  /** The answer on success, and the other statuses this operation gives on purpose. */
  success: number;
  errors?: number[];
  stream?: boolean;
  /** Server-sent events rather than plain text. */
  eventStream?: boolean;
  public?: boolean;
}

const schema = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const string = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
const role: JsonSchema = { type: 'string', enum: ['viewer', 'member', 'admin', 'owner'] };

export const OPERATIONS: Record<string, Partial<Record<Method, Operation>>> = {
  '/api/v1/setup': {
    post: {
      summary: 'Set up a fresh install: the first user, owner of the platform team (Bearer: the admin token)',
      body: object({ email: string(), password: string('10 to 128 characters'), name: string() }, ['email', 'password']),
      success: 201,
      errors: [401, 409, 422],
      public: true,
    },
  },
  '/api/v1/me': { get: { summary: 'Who the caller is, the team it acts on, its role and teams', success: 200 } },
  '/api/v1/tokens': {
    get: { summary: 'Your API tokens for the current team (never their secret)', success: 200 },
    post: {
      summary: 'A new API token, shown once (signed-in sessions only)',
      body: object({ name: string(), expiresInDays: { type: 'integer', minimum: 1, maximum: 365 }, role }, ['name']),
      success: 201,
      errors: [403, 422],
    },
  },
  '/api/v1/tokens/{id}': { delete: { summary: 'Revoke a token at once', success: 200, errors: [404] } },
  '/api/v1/teams': {
    get: { summary: 'Your teams and your role in each', success: 200 },
    post: {
      summary: 'Start a team; you are its owner',
      body: object({ slug: string(), name: string() }, ['slug', 'name']),
      success: 201,
      errors: [409, 422],
    },
  },
  '/api/v1/team': {
    get: { summary: 'The current team: members, roles, open invitations', permission: 'app.read', success: 200 },
    delete: { summary: 'Delete the current team (no apps left)', permission: 'team.delete', success: 200, errors: [403, 409] },
  },
  '/api/v1/team/invitations': {
    post: {
      summary: 'An invitation link with a role (works once, 7 days)',
      permission: 'member.manage',
      body: object({ role, email: string() }, ['role']),
      success: 201,
      errors: [403, 422],
    },
  },
  '/api/v1/team/invitations/{id}': {
    delete: { summary: 'Revoke an invitation', permission: 'member.manage', success: 200, errors: [403, 404] },
  },
  '/api/v1/team/members/{userId}': {
    patch: {
      summary: "Change a member's role",
      permission: 'member.manage',
      body: object({ role }, ['role']),
      success: 200,
      errors: [403, 404, 409, 422],
    },
    delete: { summary: 'Remove a member (or leave)', success: 200, errors: [403, 404, 409] },
  },
  '/api/v1/invitations/{token}/accept': {
    post: {
      summary: 'Accept an invitation: as the signed-in user, or as a new account',
      body: object({ email: string(), name: string(), password: string() }),
      success: 201,
      errors: [403, 404, 409, 422],
      public: true,
    },
  },
  '/api/v1/audit': {
    get: {
      summary: "The team's audit log, newest first (?app=&action=&actor=&before=&limit=)",
      permission: 'audit.read',
      success: 200,
      errors: [403, 422],
    },
  },
  '/api/v1/apps': {
    get: { summary: "The team's apps", permission: 'app.read', success: 200 },
    post: {
      summary: 'Create an app',
      permission: 'app.create',
      body: schema(createAppInputSchema),
      success: 201,
      errors: [403, 409, 413, 422],
    },
  },
  '/api/v1/apps/{name}': {
    get: { summary: 'An app: formation, releases, deployments, instances', permission: 'app.read', success: 200, errors: [404] },
    patch: {
      summary: 'App settings: healthCheck, reviewApps, rootDir',
      permission: 'app.settings',
      body: { type: 'object' },
      success: 200,
      errors: [403, 404, 422],
    },
    delete: {
      summary: 'Delete the app and its cloud resources',
      permission: 'app.delete',
      success: 202,
      errors: [403, 404, 409],
    },
  },
  '/api/v1/apps/{name}/config': {
    get: { summary: 'Config vars (values null for viewers)', permission: 'app.read', success: 200, errors: [404] },
    patch: {
      summary: 'Set ("v") or unset (null) config vars: a release',
      permission: 'config.write',
      body: schema(configPatchSchema),
      success: 202,
      errors: [403, 404, 422],
    },
  },
  '/api/v1/apps/{name}/formation/{type}': {
    patch: {
      summary: 'Scale ({quantity}) or resize ({size}) a process type',
      permission: 'app.scale',
      body: schema(updateFormationInputSchema),
      success: 200,
      errors: [403, 404, 422],
    },
  },
  '/api/v1/apps/{name}/deploys': {
    post: {
      summary: 'Deploy the tracked branch, or a ref',
      permission: 'app.deploy',
      body: schema(deployInputSchema),
      success: 202,
      errors: [403, 404, 422],
    },
  },
  '/api/v1/apps/{name}/rollback': {
    post: {
      summary: 'Run an earlier release again',
      permission: 'app.rollback',
      body: schema(rollbackInputSchema),
      success: 202,
      errors: [403, 404, 409, 422],
    },
  },
  '/api/v1/apps/{name}/deployments/{id}': {
    get: { summary: 'A deployment: steps, state, timings, error', permission: 'app.read', success: 200, errors: [404] },
  },
  '/api/v1/apps/{name}/deployments/{id}/cancel': {
    post: { summary: 'Cancel a deployment', permission: 'deployment.cancel', success: 202, errors: [403, 404, 409] },
  },
  '/api/v1/apps/{name}/deployments/{id}/log': {
    get: {
      summary: 'The build log (?follow=1 streams until it ends)',
      permission: 'app.read',
      success: 200,
      errors: [404],
      stream: true,
    },
  },
  '/api/v1/apps/{name}/deployments/{id}/events': {
    get: {
      summary: 'Follow a deployment live: server-sent events `deployment` (state, steps, timings, current wait), `log`, `end`',
      permission: 'app.read',
      success: 200,
      errors: [404],
      stream: true,
      eventStream: true,
    },
  },
  '/api/v1/apps/{name}/events': {
    get: {
      summary: "Server-sent `changed` whenever anything the app's page shows changes; `gone` once it is deleted",
      permission: 'app.read',
      success: 200,
      errors: [404],
      stream: true,
      eventStream: true,
    },
  },
  '/api/v1/team/events': {
    get: {
      summary: "Server-sent `changed` whenever the team's apps list changes",
      permission: 'app.read',
      success: 200,
      stream: true,
      eventStream: true,
    },
  },
  '/api/v1/apps/{name}/logs': {
    get: {
      summary: "The app's output (?tail=N, &follow=1 streams)",
      permission: 'app.read',
      success: 200,
      errors: [404, 422],
      stream: true,
    },
  },
  '/api/v1/apps/{name}/metrics': {
    get: {
      summary: 'Requests/s, 5xx rate, latency p50/p95/p99 and instances per minute, with release markers (?window=1h|6h|24h)',
      permission: 'app.read',
      success: 200,
      errors: [404, 422],
    },
  },
  '/api/v1/apps/{name}/domains': {
    get: { summary: 'Custom domains and their certificates', permission: 'app.read', success: 200, errors: [404] },
    post: {
      summary: 'Add a custom domain',
      permission: 'domain.write',
      body: object({ hostname: string() }, ['hostname']),
      success: 202,
      errors: [403, 404, 409, 422],
    },
  },
  '/api/v1/apps/{name}/domains/{hostname}': {
    delete: { summary: 'Remove a custom domain', permission: 'domain.write', success: 202, errors: [403, 404] },
  },
  '/api/v1/apps/{name}/deliveries': {
    get: { summary: 'GitHub deliveries for the app and what each did', permission: 'app.read', success: 200, errors: [404] },
  },
  '/api/v1/apps/{name}/github': {
    put: {
      summary: 'Connect to a repository of the GitHub App (null disconnects)',
      permission: 'app.settings',
      body: object({ repositoryId: { type: ['integer', 'null'] }, branch: string() }, ['repositoryId']),
      success: 200,
      errors: [403, 404, 422],
    },
  },
  '/api/v1/apps/{name}/webhook-secret': {
    post: {
      summary: "A webhook secret of the app's own, shown once",
      permission: 'app.settings',
      success: 200,
      errors: [403, 404],
    },
    delete: { summary: "Remove the app's own webhook secret", permission: 'app.settings', success: 200, errors: [403, 404] },
  },
  '/api/v1/cloud-accounts': {
    get: { summary: "The team's cloud accounts", permission: 'app.read', success: 200 },
    post: {
      summary: 'Add an AWS account (a worker then checks it)',
      permission: 'cloudAccount.write',
      body: schema(createCloudAccountSchema),
      success: 201,
      errors: [403, 409, 422],
    },
  },
  '/api/v1/doctor': {
    get: {
      summary:
        "The platform's check-up (paas doctor): Postgres and its migrations, Redis, the encryption key, disk, the GitHub App, cloud accounts, DNS; each check ok, warn or fail with its fix (platform team admins)",
      permission: 'cloudAccount.write',
      success: 200,
      errors: [403],
    },
  },
  '/api/v1/github': {
    get: { summary: 'The GitHub App, its installations and repositories', permission: 'app.read', success: 200 },
  },
  '/api/v1/github/manifest': {
    get: { summary: 'The GitHub App manifest (platform team admins)', permission: 'github.manage', success: 200, errors: [403] },
  },
  '/api/v1/github/app': {
    post: {
      summary: "Finish the App's creation with GitHub's code",
      permission: 'github.manage',
      body: object({ code: string() }, ['code']),
      success: 201,
      errors: [403, 422, 502],
    },
  },
  '/api/v1/github/sync': {
    post: {
      summary: 'Read installations and repositories from GitHub again',
      permission: 'github.manage',
      success: 202,
      errors: [403],
    },
  },
  '/api/v1/github/deliveries': {
    get: { summary: "The platform's recent GitHub deliveries", permission: 'github.manage', success: 200, errors: [403] },
  },
  '/api/v1/github/deliveries/{id}/redeliver': {
    post: { summary: 'Relay a delivery again', permission: 'github.manage', success: 202, errors: [403, 404] },
  },
  '/api/v1/tls/ask': {
    get: {
      summary:
        "Whether the platform serves ?domain= (an app's host name or a ready custom domain): the on-demand TLS check of a one-server install's proxy",
      success: 200,
      errors: [404],
      public: true,
    },
  },
  '/api/v1/openapi.json': { get: { summary: 'This document', success: 200, public: true } },
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  401: 'No valid API token or session',
  403: 'Your role may not do this',
  404: 'Not found (or another team’s)',
  409: 'Conflicts with the current state',
  413: 'Body over 1 MiB',
  422: 'Invalid input: error.details.fields names each field (details.message: the input as a whole)',
  429: 'Too many failed sign-ins from this address',
  502: 'GitHub refused',
};

const errorBody = {
  type: 'object',
  properties: {
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } },
  },
};

// Built once per address it is served from: the schemas do not change while the server runs.
const built = new Map<string, ReturnType<typeof buildDocument>>();

export function openApiDocument(serverUrl: string) {
  let doc = built.get(serverUrl);
  if (!doc) {
    doc = buildDocument(serverUrl);
    if (built.size < 16) built.set(serverUrl, doc);
  }
  return doc;
}

function buildDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const statuses = [op.success, ...(op.errors ?? []), ...(op.public ? [] : [401, 429])];
      paths[path][method] = {
        summary: op.summary,
        ...(op.permission ? { 'x-permission': op.permission, 'x-least-role': PERMISSIONS[op.permission] } : {}),
        ...(op.public ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
        responses: Object.fromEntries(
          statuses.map((s) => [
            String(s),
            {
              description: STATUS_TEXT[s] ?? String(s),
              content:
                s < 300 && op.stream
                  ? { [op.eventStream ? 'text/event-stream' : 'text/plain']: { schema: { type: 'string' } } }
                  : { 'application/json': { schema: s < 300 ? { type: 'object' } : errorBody } },
            },
          ]),
        ),
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'paas REST API',
      version: '1',
      description:
        'Every call takes `Authorization: Bearer <API token>` (made on your account page). A token acts on one team with at most its user’s role. Errors are `{"error": {"code", "message", "details"}}`.',
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    security: [{ token: [] }],
    paths,
  };
}
