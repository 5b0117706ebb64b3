import { defineConfig } from 'vitest/config';

// Three layers: pure unit tests; integration tests on the machine's real
// Postgres, Redis and processes (each file makes its own schema and Redis
// prefix); end-to-end tests that start the platform and drive Chromium.
//
// Unit and integration files run three at a time: most of an integration
// test's time is spent waiting on the processes it starts (builds, apps,
// Postgres), so even two cores keep three busy (Vitest's default on a 2-core
// machine is one). End-to-end files each start a whole platform (with its own
// database schema, Redis prefix, data dir and ports) and run two at a time,
// after the others.
const WORKERS = 3;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          maxWorkers: WORKERS,
          sequence: { groupOrder: 0 },
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          maxWorkers: WORKERS,
          sequence: { groupOrder: 0 },
          include: ['packages/*/test/**/*.int.test.ts', 'apps/*/test/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          maxWorkers: 2,
          // After the unit and integration files (group 0), never beside them.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
