import 'server-only';
import { createHmac } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { nextCookies } from 'better-auth/next-js';
import { webContext } from './context';

// Sign-in is better-auth's: password hashing (scrypt, memory-hard), sessions
// that expire and can be revoked, rate limits. Its tables are ours (Prisma
// schema), reached through the same client as the rest of the product.
export const SESSION_DAYS = 7;
export const CLIENT_IP_HEADER = 'x-paas-client-ip';

function createAuth() {
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
        '/sign-in/email': { window: 60, max: 10 },
        '/sign-up/email': { window: 60, max: 10 },
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
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { paasAuth?: Auth };

export function auth(): Auth {
  globalForAuth.paasAuth ??= createAuth();
  return globalForAuth.paasAuth;
}
