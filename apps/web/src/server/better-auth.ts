import 'server-only';
import { createHmac } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { nextCookies } from 'better-auth/next-js';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { webContext } from './context';

// Sign-in is better-auth's: password hashing (scrypt, memory-hard), sessions
// that expire and can be revoked, rate limits. Its tables are ours (Prisma
// schema), reached through the same client as the rest of the product.
export const SESSION_DAYS = 7;
export const CLIENT_IP_HEADER = 'x-paas-client-ip';

/** The platform's GitHub App, as "Sign in with GitHub" needs it (its user authorization). */
export interface GithubSignIn {
  clientId: string;
  clientSecret: string;
}

function createAuth(github?: GithubSignIn) {
  const { env, db } = webContext();
  const secure = env.PAAS_PUBLIC_URL?.startsWith('https:') ?? false;
  return betterAuth({
    appName: 'paas',
    baseURL: env.PAAS_PUBLIC_URL,
    basePath: '/api/auth',
    // Derived, so an install has one secret to keep (PAAS_SECRET_KEY).
    secret: createHmac('sha256', env.PAAS_SECRET_KEY).update('better-auth').digest('hex'),
    database: prismaAdapter(db, { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, minPasswordLength: 10, maxPasswordLength: 128, autoSignIn: true },
    session: {
      expiresIn: SESSION_DAYS * 86_400,
      updateAge: 86_400,
      // No cookie cache: a revoked session is refused on its very next request.
      cookieCache: { enabled: false },
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 120,
      customRules: {
        // Generous: an office behind one address signs in together. Wrong
        // passwords are slowed and refused by the web app's own count.
        '/sign-in/email': { window: 60, max: 30 },
        '/sign-up/email': { window: 60, max: 10 },
        // Starting a GitHub sign-in costs nothing to guess; the limit only keeps scripts from hammering GitHub.
        '/sign-in/social': { window: 60, max: 20 },
      },
    },
    advanced: {
      cookiePrefix: 'paas',
      useSecureCookies: secure,
      database: { generateId: 'uuid' },
      // Set by this app's route from the connection, never taken from the client.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    // Changes must come from the dashboard's own pages: the configured public
    // address, or the host the request was sent to (a page elsewhere cannot
    // send our Host with its own Origin).
    trustedOrigins: (request) => {
      const host = request?.headers.get('host');
      return [
        env.PAAS_PUBLIC_URL ? new URL(env.PAAS_PUBLIC_URL).origin : null,
        ...(host ? [`http://${host}`, `https://${host}`] : []),
      ];
    },
    telemetry: { enabled: false },
    // Its warning that no base URL is set does not apply: every request reaches
    // it rebuilt on the address the browser used (PAAS_PUBLIC_URL when set).
    logger: { level: 'error' },
    // A GitHub identity signs in the account with its verified email, or one it joined with.
    account: { accountLinking: { enabled: true, trustedProviders: ['github'] } },
    plugins: [nextCookies(), ...(github ? [githubSignIn(github, env.GITHUB_URL, env.GITHUB_API_URL)] : [])],
  });
}

/**
 * GitHub as a sign-in provider through the platform's own App (GitHub Enterprise
 * Server too: its URLs come from GITHUB_URL and GITHUB_API_URL). Nobody gets
 * an account by it alone: it signs in people who have one (same verified
 * email), or who come from an invitation (which asks for sign-up explicitly).
 */
function githubSignIn(app: GithubSignIn, githubUrl: string, apiUrl: string) {
  const api = apiUrl.replace(/\/$/, '');
  return genericOAuth({
    config: [
      {
        providerId: 'github',
        name: 'GitHub',
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        authorizationUrl: `${githubUrl.replace(/\/$/, '')}/login/oauth/authorize`,
        tokenUrl: `${githubUrl.replace(/\/$/, '')}/login/oauth/access_token`,
        authentication: 'post',
        pkce: false,
        scopes: [],
        disableImplicitSignUp: true,
        getUserInfo: async (tokens) => {
          const headers = { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/vnd.github+json' };
          const [user, emails] = await Promise.all([
            fetch(`${api}/user`, { headers }).then((r) => (r.ok ? r.json() : null)),
            fetch(`${api}/user/emails`, { headers }).then((r) => (r.ok ? r.json() : [])),
          ]);
          if (!user) return null;
          const primary = (emails as { email: string; primary: boolean; verified: boolean }[]).find(
            (e) => e.primary && e.verified,
          );
          if (!primary) return null;
          return {
            id: String(user.id),
            email: primary.email.toLowerCase(),
            emailVerified: true,
            name: user.name ?? user.login,
            image: user.avatar_url,
          };
        },
      },
    ],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { paasAuth?: Auth };

/** Sessions, accounts and passwords: everything but the sign-in providers' endpoints. */
export function auth(): Auth {
  globalForAuth.paasAuth ??= createAuth();
  return globalForAuth.paasAuth;
}

// The auth endpoints with GitHub sign-in, once the platform has its App: remade
// when the App changes, looked up again at most every 30 s.
const GITHUB_LOOKUP_MS = 30_000;
const withGithub: { key: string; at: number; auth: Auth } = { key: '', at: 0, auth: undefined as unknown as Auth };

export async function authEndpoints(): Promise<Auth> {
  const now = Date.now();
  if (withGithub.auth && now - withGithub.at < GITHUB_LOOKUP_MS) return withGithub.auth;
  const { db, secrets } = webContext();
  const app = await db.githubApp.findFirst({ select: { clientId: true, clientSecretEnc: true } });
  const key = app?.clientId ?? 'none';
  if (key !== withGithub.key || !withGithub.auth) {
    withGithub.auth = app ? createAuth({ clientId: app.clientId, clientSecret: secrets.open(app.clientSecretEnc) }) : auth();
    withGithub.key = key;
  }
  withGithub.at = now;
  return withGithub.auth;
}

/** Whether "Sign in with GitHub" can be offered (the platform has its GitHub App). */
export async function githubSignInAvailable(): Promise<boolean> {
  return (await webContext().db.githubApp.count()) > 0;
}

/** After the App is made or changed: the next auth request looks it up again. */
export function forgetGithubSignIn(): void {
  withGithub.at = 0;
}
