// Prisma 7 configuration (read by the `prisma` CLI: generate, migrate, studio…).
//
// Paths are relative to this file. The datasource URL is only needed by
// commands that talk to a database; `prisma generate` needs none, so an unset
// DATABASE_URL must not make loading this file fail (Prisma's `env()` helper
// throws when the variable is missing, hence plain process.env).
//
// Note: on machines without Prisma's downloaded native schema engine, use the
// repo scripts instead of `prisma migrate …`:
//   node scripts/prisma-generate.mjs          generate the client (offline)
//   node scripts/migrate.mjs                  apply migrations (like migrate deploy)
//   node scripts/prisma-new-migration.mjs X   author a migration (like migrate dev --create-only)
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url
    ? { datasource: { url, ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}) } }
    : {}),
});
