import { hostname } from 'node:os';
import { Api, errorFromResponse } from '../api.js';
import type { Command, Context } from '../context.js';
import { type Credentials, credentialsPath, removeCredentials, saveCredentials } from '../credentials.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { ask, askHidden, readStdin, stdinIsTerminal } from '../prompt.js';

interface Me {
  user: { id: string; email: string };
  team: string;
  role: string;
  via: string;
  teams: { slug: string; name: string; role: string }[];
}

interface CreatedToken {
  token: { token: string; id: string; name: string; role: string; expiresAt: string | null };
}

/** Email and password: --email / PAAS_PASSWORD, else asked at the terminal, else read from stdin (email, then password). */
async function readLogin(ctx: Context): Promise<{ email: string; password: string }> {
  const terminal = stdinIsTerminal();
  let piped: string[] | null = null;
  const nextPipedLine = async () => {
    piped ??= (await readStdin()).split(/\r?\n/);
    return piped.shift() ?? '';
  };
  let email = ctx.options.email;
  if (email === undefined) email = terminal ? await ask('Email: ') : await nextPipedLine();
  email = email.trim();
  if (!email) throw usageError('an email is needed: pass --email (or type it when asked)');
  let password = ctx.env.PAAS_PASSWORD;
  if (!password) password = terminal ? await askHidden('Password: ') : await nextPipedLine();
  if (!password) throw usageError('a password is needed: type it when asked, set PAAS_PASSWORD, or pipe it on stdin');
  return { email, password };
}

const tokenName = () => `paas CLI on ${hostname() || 'this machine'}`.slice(0, 60);

export const login: Command = {
  name: 'login',
  summary: 'sign in with email and password; remembers an API token for this machine',
  usage: 'paas login [--email EMAIL] [--team SLUG] [--api URL]',
  description:
    'Asks for the email and password (or reads --email, PAAS_PASSWORD, or email and password lines on stdin when it is\n' +
    'not a terminal), makes an API token for this machine, signs the session out, and stores the token in\n' +
    '$PAAS_CONFIG_DIR/credentials.json (default ~/.config/paas/), readable by you only. The password is never stored.',
  examples: [
    'paas login',
    'paas login --api https://paas.example.com --email me@example.com',
    'PAAS_PASSWORD=… paas login --email ci@example.com',
  ],
  options: ['email', 'team'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const { email, password } = await readLogin(ctx);
    const api = ctx.anonymousApi();
    const origin = new URL(api.baseUrl).origin;
    const signIn = await api.fetch('POST', '/api/auth/sign-in/email', {
      anonymous: true,
      headers: { origin },
      body: { email, password },
    });
    if (!signIn.ok) throw await errorFromResponse(signIn, 'sign-in failed');
    await signIn.arrayBuffer().catch(() => {});
    // Every cookie it set (`__Secure-` prefixed on https), sent back as they came.
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => (c.split(';')[0] ?? '').trim())
      .filter((c) => c.includes('='))
      .join('; ');
    if (!/session_token=/.test(cookie)) throw new CliError('sign-in set no session cookie', EXIT.failed, 'bad_response');

    let created: CreatedToken['token'];
    let me: Me;
    try {
      const answer = await api.call<CreatedToken>('POST', '/api/v1/tokens', {
        anonymous: true,
        headers: { cookie, origin, ...(ctx.options.team ? { 'x-paas-team': ctx.options.team } : {}) },
        body: { name: tokenName() },
      });
      created = answer.body.token;
      me = await new Api(api.baseUrl, created.token).get<Me>('/api/v1/me');
    } finally {
      // The session was only needed to make the token.
      await api
        .fetch('POST', '/api/auth/sign-out', { anonymous: true, headers: { cookie, origin }, body: {} })
        .then((r) => r.arrayBuffer())
        .catch(() => {});
    }

    const previous = ctx.stored;
    const credentials: Credentials = {
      apiUrl: api.baseUrl,
      token: created.token,
      tokenId: created.id,
      email: me.user.email,
      team: me.team,
    };
    const file = saveCredentials(credentials, ctx.env);
    // The token this replaces is of no more use: revoke it (best effort).
    if (previous?.tokenId && previous.apiUrl === api.baseUrl && previous.tokenId !== created.id) {
      await new Api(previous.apiUrl, previous.token)
        .call('DELETE', `/api/v1/tokens/${encodeURIComponent(previous.tokenId)}`)
        .catch(() => {});
    }
    if (ctx.env.PAAS_TOKEN) ctx.out.note('Note: PAAS_TOKEN is set, and it is used instead of these credentials while it is.');
    ctx.out.result(
      {
        apiUrl: api.baseUrl,
        email: me.user.email,
        team: me.team,
        role: me.role,
        token: { id: created.id, name: created.name, role: created.role, expiresAt: created.expiresAt },
        credentialsFile: file,
      },
      () => {
        ctx.out.line(
          `Logged in to ${sanitizeLine(api.baseUrl)} as ${sanitizeLine(me.user.email)} (team ${sanitizeLine(me.team)}, ${sanitizeLine(me.role)}).`,
        );
        if (created.expiresAt)
          ctx.out.line(`The token for this machine expires ${sanitizeLine(created.expiresAt).slice(0, 10)}.`);
      },
    );
    return EXIT.ok;
  },
};

export const logout: Command = {
  name: 'logout',
  summary: 'revoke the stored API token and forget it',
  usage: 'paas logout',
  examples: ['paas logout'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const stored = ctx.stored;
    if (!stored) {
      ctx.out.result({ loggedOut: false, reason: 'not logged in' }, () => ctx.out.line('Not logged in.'));
      return EXIT.ok;
    }
    const api = new Api(stored.apiUrl, stored.token);
    let problem: CliError | null = null;
    try {
      let id = stored.tokenId;
      if (!id) {
        const list = await api.get<{ tokens: { id: string; hint: string; state: string }[] }>('/api/v1/tokens');
        id = list.tokens.find((t) => t.state === 'active' && stored.token.startsWith(t.hint.replace(/…$/, '')))?.id;
      }
      if (id) await api.call('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
    } catch (error) {
      // 401: the token no longer works anyway (revoked or expired elsewhere).
      if (!(error instanceof CliError) || error.exitCode !== EXIT.unauthorized) {
        problem = error instanceof CliError ? error : new CliError(String(error), EXIT.failed);
      }
    }
    removeCredentials(ctx.env);
    if (problem) {
      throw new CliError(
        `forgot the credentials in ${credentialsPath(ctx.env)}, but could not revoke the token on ${stored.apiUrl}: ${problem.message}\n` +
          'Revoke it from the dashboard (Account → API tokens).',
        problem.exitCode,
        problem.code,
        problem.extra,
      );
    }
    ctx.out.result({ loggedOut: true, apiUrl: stored.apiUrl, email: stored.email }, () =>
      ctx.out.line(`Logged out of ${sanitizeLine(stored.apiUrl)}; the token for this machine is revoked.`),
    );
    return EXIT.ok;
  },
};

export const whoami: Command = {
  name: 'whoami',
  summary: 'who the token belongs to, its team and role',
  usage: 'paas whoami',
  examples: ['paas whoami', 'paas whoami --json'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const api = ctx.api();
    const me = await api.get<Me>('/api/v1/me');
    ctx.out.result({ ...me, apiUrl: api.baseUrl }, () => {
      ctx.out.line(sanitizeLine(me.user.email));
      ctx.out.line(`team ${sanitizeLine(me.team)} (${sanitizeLine(me.role)}) on ${sanitizeLine(api.baseUrl)}`);
    });
    return EXIT.ok;
  },
};
