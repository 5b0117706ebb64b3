// @paas/db: the Prisma client and the generated types. Migrations live in
// `@paas/db/migrate` so that importing this module never loads the wasm engine.

export { type CreateDbOptions, createDb, type Db, type Tx } from './client';
export * from './generated/prisma/client';
