import type { NextConfig } from 'next';

const config: NextConfig = {
  // `npm test` and `npm run bench` build into their own directory, so they never
  // replace the build a running platform is serving.
  distDir: process.env.PAAS_WEB_DIST_DIR || '.next',
  // Workspace packages ship TypeScript source.
  transpilePackages: ['@paas/config', '@paas/core', '@paas/db', '@paas/jobs', '@paas/github', '@paas/cloud', '@paas/buildpacks'],
  serverExternalPackages: ['pg', 'ioredis', 'bullmq', 'esbuild'],
  poweredByHeader: false,
  // Type errors fail `npm test`'s typecheck step (turbo run typecheck); checking
  // again inside every `next build` only adds most of a minute.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
};

export default config;
