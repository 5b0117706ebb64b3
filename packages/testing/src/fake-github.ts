import { execFileSync } from 'node:child_process';
import { createPublicKey, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// GitHub is unreachable from here: this speaks the endpoints the platform uses,
// with GitHub's shapes and auth rules (a JWT signed with the App's own key for
// /app/*, an installation token for /installation/*), and records every
// request so tests assert exactly what was sent.

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  /** The JWT's claims when the request was authenticated as the App. */
  jwt: Record<string, unknown> | null;
  body: string;
}

export interface FakeRepository {
  id: number;
  fullName: string;
  private: boolean;
  /** A bare repository on disk whose commits the API serves (commits, tarballs). */
  gitDir?: string;
}

export interface FakeInstallation {
  id: number;
  account: { login: string; type: 'User' | 'Organization' };
  repositorySelection: 'all' | 'selected';
  repositories: FakeRepository[];
}

export interface FakeGithubApp {
  id: number;
  slug: string;
  name: string;
  webhookSecret: string;
  privateKey: string;
  manifest: Record<string, unknown>;
  clientId: string;
  clientSecret: string;
}

/** A GitHub user, for "Sign in with GitHub" (the App's user authorization). */
export interface FakeGithubUser {
  id: number;
  login: string;
  name: string;
  email: string;
}

export async function startFakeGithub() {
  const requests: RecordedRequest[] = [];
  const codes = new Map<string, Record<string, unknown>>();
  const apps: FakeGithubApp[] = [];
  const installations: FakeInstallation[] = [];
  const tokens = new Map<string, { installationId: number; repositoryIds: number[] | null; permissions: unknown }>();
  const downloads = new Map<string, { gitDir: string; prefix: string; sha: string }>();
  const deployments: {
    id: number;
    repository: string;
    sha: string;
    environment: string;
    payload: unknown;
    statuses: Record<string, unknown>[];
  }[] = [];
  const commitStatuses: {
    repository: string;
    sha: string;
    state: string;
    context: string;
    target_url: string;
    description: string;
  }[] = [];
  const comments: { repository: string; number: number; body: string }[] = [];
  const failures: { path: RegExp; status: number; times: number; headers: Record<string, string> }[] = [];
  let nextAppId = 900_001;
  // The user "signed in to github.com" in the browser, who approves an App's authorization.
  let browserUser: FakeGithubUser | null = null;
  const authorizations = new Map<string, { clientId: string; redirectUri: string; user: FakeGithubUser }>();
  const userTokens = new Map<string, FakeGithubUser>();

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      try {
        handle(req, res, body);
      } catch (error) {
        json(res, 500, { message: error instanceof Error ? error.message : String(error) });
      }
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const authorization = req.headers.authorization ?? null;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      authorization,
      jwt: null,
      body,
    };
    requests.push(record);
    const failure = failures.find((f) => f.times > 0 && f.path.test(url.pathname));
    if (failure) {
      failure.times--;
      return json(
        res,
        failure.status,
        { message: failure.status === 429 ? 'API rate limit exceeded' : 'Server Error (injected)' },
        failure.headers,
      );
    }

    // github.com: the admin confirms the App described by the posted manifest.
    const newApp = /^\/(?:organizations\/([^/]+)\/)?settings\/apps\/new$/.exec(url.pathname);
    if (req.method === 'POST' && newApp) {
      const manifest = JSON.parse(new URLSearchParams(body).get('manifest') ?? 'null') as Record<string, unknown> | null;
      if (!manifest || typeof manifest.redirect_url !== 'string') return json(res, 422, { message: 'manifest missing' });
      const code = randomBytes(10).toString('hex');
      codes.set(code, { ...manifest, owner: newApp[1] ?? 'octo-admin' });
      const back = new URL(manifest.redirect_url);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }

    const conversion = /^\/app-manifests\/([^/]+)\/conversions$/.exec(url.pathname);
    if (req.method === 'POST' && conversion) {
      const manifest = codes.get(conversion[1] as string);
      if (!manifest) return json(res, 404, { message: 'Not Found' });
      codes.delete(conversion[1] as string);
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const id = nextAppId++;
      const name = String(manifest.name);
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const app: FakeGithubApp = {
        id,
        slug,
        name,
        webhookSecret: randomBytes(20).toString('hex'),
        privateKey,
        manifest,
        clientId: `Iv1.${randomBytes(8).toString('hex')}`,
        clientSecret: randomBytes(20).toString('hex'),
      };
      apps.push(app);
      return json(res, 201, {
        id,
        slug,
        node_id: `A_${id}`,
        owner: { login: manifest.owner, id: 1, type: 'User' },
        name,
        description: manifest.description ?? '',
        external_url: manifest.url,
        html_url: `${baseUrl()}/apps/${slug}`,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        permissions: manifest.default_permissions ?? {},
        events: manifest.default_events ?? [],
        client_id: app.clientId,
        client_secret: app.clientSecret,
        webhook_secret: app.webhookSecret,
        pem: privateKey,
      });
    }

    // github.com: a user authorizes the App to know who they are (GitHub's web
    // flow for an App's users). The signed-in user approves at once; the
    // redirect must be one of the App's callback URLs, as GitHub requires.
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const app = apps.find((a) => a.clientId === url.searchParams.get('client_id'));
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      const callbacks = (app?.manifest.callback_urls as string[] | undefined) ?? [];
      if (!app) return json(res, 404, { message: 'Not Found' });
      if (!callbacks.includes(redirectUri))
        return json(res, 400, { message: 'The redirect_uri is not associated with this application.' });
      if (!browserUser) return json(res, 401, { message: 'Sign in to GitHub first' });
      const code = randomBytes(10).toString('hex');
      authorizations.set(code, { clientId: app.clientId, redirectUri, user: browserUser });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = req.headers['content-type']?.includes('json')
        ? (JSON.parse(body) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(body));
      const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
      const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
      const clientId = form.client_id ?? basicId;
      const clientSecret = form.client_secret ?? basicSecret;
      const granted = authorizations.get(form.code ?? '');
      const app = apps.find((a) => a.clientId === clientId && a.clientSecret === clientSecret);
      if (!granted || !app || granted.clientId !== app.clientId) {
        return json(res, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      }
      authorizations.delete(form.code as string);
      const token = `ghu_${randomBytes(18).toString('hex')}`;
      userTokens.set(token, granted.user);
      return json(res, 200, { access_token: token, token_type: 'bearer', scope: '' });
    }
    if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
      const user = userTokens.get(bearer(authorization) ?? '');
      if (!user) return json(res, 401, { message: 'Bad credentials' });
      if (url.pathname === '/user/emails')
        return json(res, 200, [{ email: user.email, primary: true, verified: true, visibility: 'private' }]);
      // Like most accounts, the public profile shows no email.
      return json(res, 200, {
        id: user.id,
        login: user.login,
        name: user.name,
        email: null,
        avatar_url: `${baseUrl()}/avatars/${user.login}`,
      });
    }

    if (url.pathname.startsWith('/app/')) {
      const app = appFromJwt(authorization, record);
      if (!app) return json(res, 401, { message: 'A JSON web token could not be decoded' });
      if (req.method === 'GET' && url.pathname === '/app/installations') {
        return json(
          res,
          200,
          installations.map((i) => ({
            id: i.id,
            account: { login: i.account.login, type: i.account.type },
            repository_selection: i.repositorySelection,
            app_id: app.id,
            suspended_at: null,
          })),
        );
      }
      const tokenFor = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
      if (req.method === 'POST' && tokenFor) {
        const installation = installations.find((i) => i.id === Number(tokenFor[1]));
        if (!installation) return json(res, 404, { message: 'Not Found' });
        const asked = body ? (JSON.parse(body) as { repository_ids?: number[]; permissions?: unknown }) : {};
        const token = `ghs_${randomBytes(18).toString('hex')}`;
        tokens.set(token, {
          installationId: installation.id,
          repositoryIds: asked.repository_ids ?? null,
          permissions: asked.permissions ?? null,
        });
        return json(res, 201, {
          token,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: asked.permissions ?? {},
          repository_selection: asked.repository_ids ? 'selected' : installation.repositorySelection,
        });
      }
    }

    if (req.method === 'GET' && url.pathname === '/installation/repositories') {
      const installation = installations.find((i) => i.id === tokens.get(bearer(authorization) ?? '')?.installationId);
      if (!installation) return json(res, 401, { message: 'Bad credentials' });
      return json(res, 200, {
        total_count: installation.repositories.length,
        repositories: installation.repositories.map(repoJson),
      });
    }
    // A comment on a pull request (the issues API), for a token that may write pull requests.
    const comment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (req.method === 'POST' && comment) {
      const [, owner, name, number] = comment as unknown as [string, string, string, string];
      const grant = tokens.get(bearer(authorization) ?? '');
      const repo = installations
        .find((i) => i.id === grant?.installationId)
        ?.repositories.find((r) => r.fullName === `${owner}/${name}`);
      if (!grant || !repo || (grant.repositoryIds && !grant.repositoryIds.includes(repo.id)))
        return json(res, 404, { message: 'Not Found' });
      if ((grant.permissions as Record<string, string> | null)?.pull_requests !== 'write') {
        return json(res, 403, { message: 'Resource not accessible by integration' });
      }
      comments.push({
        repository: repo.fullName,
        number: Number(number),
        body: String((JSON.parse(body) as { body?: unknown }).body),
      });
      return json(res, 201, { id: 90_000 + comments.length, body: comments.at(-1)?.body });
    }

    // Deployments, their statuses and commit statuses, for a token that may write them.
    const reportCall = /^\/repos\/([^/]+)\/([^/]+)\/(deployments(?:\/(\d+)\/statuses)?|statuses\/([0-9a-f]{40}))$/.exec(
      url.pathname,
    );
    if (reportCall) {
      const [, owner, name, , deploymentId, statusSha] = reportCall as unknown as [
        string,
        string,
        string,
        string,
        string?,
        string?,
      ];
      const fullName = `${owner}/${name}`;
      const grant = tokens.get(bearer(authorization) ?? '');
      const installation = installations.find((i) => i.id === grant?.installationId);
      const repo = installation?.repositories.find((r) => r.fullName === fullName);
      const permissions = (grant?.permissions ?? {}) as Record<string, string>;
      if (!grant || !repo || (grant.repositoryIds && !grant.repositoryIds.includes(repo.id)))
        return json(res, 404, { message: 'Not Found' });
      const needs = statusSha ? 'statuses' : 'deployments';
      if (req.method === 'POST' && permissions[needs] !== 'write')
        return json(res, 403, { message: 'Resource not accessible by integration' });
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (statusSha && req.method === 'POST') {
        commitStatuses.push({
          repository: fullName,
          sha: statusSha,
          state: String(input.state),
          context: String(input.context),
          target_url: String(input.target_url),
          description: String(input.description),
        });
        return json(res, 201, { state: input.state, context: input.context });
      }
      if (deploymentId && req.method === 'POST') {
        const deployment = deployments.find((d) => d.id === Number(deploymentId) && d.repository === fullName);
        if (!deployment) return json(res, 404, { message: 'Not Found' });
        deployment.statuses.push(input);
        return json(res, 201, { id: deployment.statuses.length, state: input.state });
      }
      if (!deploymentId && req.method === 'POST') {
        const made = {
          id: 70_000 + deployments.length + 1,
          repository: fullName,
          sha: String(input.ref),
          environment: String(input.environment),
          payload: input.payload ?? {},
          statuses: [],
        };
        deployments.push(made);
        return json(res, 201, {
          id: made.id,
          sha: made.sha,
          ref: made.sha,
          environment: made.environment,
          payload: made.payload,
        });
      }
      if (!deploymentId && req.method === 'GET') {
        const sha = url.searchParams.get('sha');
        const environment = url.searchParams.get('environment');
        return json(
          res,
          200,
          deployments
            .filter(
              (d) => d.repository === fullName && (!sha || d.sha === sha) && (!environment || d.environment === environment),
            )
            .map((d) => ({ id: d.id, sha: d.sha, ref: d.sha, environment: d.environment, payload: d.payload })),
        );
      }
    }

    // A repository's commits and tarballs, for a token that may read it.
    const repoCall = /^\/repos\/([^/]+)\/([^/]+)\/(commits|tarball)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && repoCall) {
      const [, owner, name, kind, ref] = repoCall as unknown as [string, string, string, string, string];
      const grant = tokens.get(bearer(authorization) ?? '');
      const installation = installations.find((i) => i.id === grant?.installationId);
      const repo = installation?.repositories.find((r) => r.fullName === `${owner}/${name}`);
      if (!grant || !repo || (grant.repositoryIds && !grant.repositoryIds.includes(repo.id)) || !repo.gitDir) {
        return json(res, 404, { message: 'Not Found' });
      }
      let sha: string;
      try {
        sha = execFileSync('git', ['--git-dir', repo.gitDir, 'rev-parse', '--verify', `${decodeURIComponent(ref)}^{commit}`], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim();
      } catch {
        return json(res, 404, { message: 'No commit found for the ref' });
      }
      if (kind === 'commits') return json(res, 200, { sha, commit: { message: '' } });
      // As GitHub does: a redirect to its download host, with a one-time grant in the URL.
      const grantId = randomBytes(12).toString('hex');
      downloads.set(grantId, { gitDir: repo.gitDir, prefix: `${owner}-${name}-${sha.slice(0, 7)}/`, sha });
      res.writeHead(302, { location: `${baseUrl()}/_codeload/${owner}/${name}/legacy.tar.gz/${sha}?token=${grantId}` });
      return res.end();
    }
    if (req.method === 'GET' && url.pathname.startsWith('/_codeload/')) {
      const download = downloads.get(url.searchParams.get('token') ?? '');
      if (!download) return json(res, 404, { message: 'Not Found' });
      downloads.delete(url.searchParams.get('token') ?? '');
      const tarball = execFileSync(
        'git',
        ['--git-dir', download.gitDir, 'archive', '--format=tar.gz', `--prefix=${download.prefix}`, download.sha],
        {
          maxBuffer: 512 * 1024 * 1024,
        },
      );
      res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': tarball.length });
      return res.end(tarball);
    }
    return json(res, 404, { message: 'Not Found', path: url.pathname });
  }

  function appFromJwt(authorization: string | null, record: RecordedRequest): FakeGithubApp | null {
    const token = bearer(authorization);
    if (!token) return null;
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const app = apps.find((a) => String(a.id) === String(claims.iss));
    if (!app) return null;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(createPublicKey(app.privateKey), Buffer.from(signature, 'base64url'))) return null;
    const now = Math.floor(Date.now() / 1000);
    // GitHub's rules: issued in the past, expiring within 10 minutes.
    if (Number(claims.exp) <= now || Number(claims.exp) - Number(claims.iat) > 600) return null;
    record.jwt = claims;
    return app;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    /** Serves both GitHub's web pages and its REST API, as GITHUB_URL and GITHUB_API_URL. */
    url: baseUrl(),
    requests,
    apps,
    /** Installs the (first) App on an account, as GitHub does when its owner clicks "Install". */
    install(installation: FakeInstallation) {
      installations.push(installation);
    },
    installations,
    /** What each installation token was minted for. */
    tokens,
    /** GitHub Deployments made through the API, each with the statuses posted to it. */
    deployments,
    commitStatuses,
    /** Comments posted on pull requests. */
    comments,
    /** The next `times` requests whose path matches answer `status` (GitHub having a bad minute). */
    failNext(path: RegExp, status: number, times: number, headers: Record<string, string> = {}) {
      failures.push({ path, status, times, headers });
    },
    /** Who is signed in to "github.com" in the browser (approves "Sign in with GitHub"). */
    signInAs(user: FakeGithubUser | null) {
      browserUser = user;
    },
    /** The one-time code GitHub hands back once an admin confirms an App made from `manifest` (the browser flow, skipped). */
    manifestCode(manifest: { name: string; redirect_url?: string }, owner = 'octo-admin') {
      const code = randomBytes(10).toString('hex');
      codes.set(code, { redirect_url: 'http://127.0.0.1/', ...manifest, owner });
      return code;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeGithub = Awaited<ReturnType<typeof startFakeGithub>>;

/** A repository as GitHub's REST API and webhook payloads show it. */
export function repoJson(r: FakeRepository) {
  const [owner] = r.fullName.split('/');
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.fullName.split('/')[1],
    full_name: r.fullName,
    private: r.private,
    owner: { login: owner },
    html_url: `https://github.com/${r.fullName}`,
  };
}

function bearer(authorization: string | null): string | null {
  const m = /^(?:bearer|token)\s+(.+)$/i.exec(authorization ?? '');
  return m?.[1] ?? null;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
