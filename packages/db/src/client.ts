import { PrismaPg } from '@prisma/adapter-pg';
import { type Prisma, PrismaClient } from './generated/prisma/client';

/** The Prisma client of this product's schema. */
export type Db = PrismaClient;

/** The client handed to `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

export interface CreateDbOptions {
  connectionString: string;
  /**
   * PostgreSQL schema holding the tables (e.g. a per-test schema); default
   * `public`, or Prisma's `?schema=` in the URL.
   */
  schema?: string;
}

/**
 * A Prisma client over `pg` (driver adapter, no native query engine). The
 * connection pool opens lazily; call `db.$disconnect()` to close it.
 */
export function createDb(opts: CreateDbOptions): Db {
  const { connectionString, schema } = resolveSchema(opts);
  // PrismaPg's `schema` qualifies the tables in the queries the client
  // generates; the search_path also makes unqualified names in $queryRaw
  // resolve to the same schema.
  const adapter = schema
    ? new PrismaPg({ connectionString: withSearchPath(connectionString, schema) }, { schema })
    : new PrismaPg({ connectionString });
  return new PrismaClient({ adapter });
}

function resolveSchema(opts: CreateDbOptions): { connectionString: string; schema: string | undefined } {
  let url: URL;
  try {
    url = new URL(opts.connectionString);
  } catch {
    return { connectionString: opts.connectionString, schema: opts.schema };
  }
  const fromUrl = url.searchParams.get('schema') ?? undefined;
  if (fromUrl === undefined) return { connectionString: opts.connectionString, schema: opts.schema };
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema: opts.schema ?? fromUrl };
}

function withSearchPath(connectionString: string, schema: string): string {
  const url = new URL(connectionString);
  const ident = `"${schema.replaceAll('"', '""')}"`;
  const option = `-c search_path=${ident.replace(/[\\\s]/g, (c) => `\\${c}`)}`;
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', existing ? `${existing} ${option}` : option);
  return url.toString();
}
