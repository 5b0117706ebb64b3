#!/usr/bin/env node
// Generates the Prisma client (packages/db/src/generated/prisma) offline.
//
//   node scripts/prisma-generate.mjs [--force]     (any cwd; also `npm run generate -w @paas/db`)
//
// Why not plain `prisma generate`: every Prisma CLI command first makes sure
// the native schema engine is present and downloads it from binaries.prisma.sh
// when it is not (npm here runs no install scripts, and air-gapped hosts have
// no access anyway). `generate` never runs that engine, and the CLI accepts
// any existing file named by PRISMA_SCHEMA_ENGINE_BINARY, so we name one.
// The client itself needs no engine (generator `prisma-client` over
// @prisma/adapter-pg).
//
// Skips all work when the output is up to date: a hash of the inputs
// (schema, config, Prisma versions) is stored next to the output.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptPath = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(scriptPath), '..');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const configPath = path.join(root, 'prisma.config.ts');
const dbPackage = path.join(root, 'packages', 'db');
const generatedDir = path.join(dbPackage, 'src', 'generated');
const outputDir = path.join(generatedDir, 'prisma'); // = generator output in schema.prisma
const hashFile = path.join(generatedDir, '.prisma-generate.sha256');
const force = process.argv.includes('--force');

/** Finds an installed package file from the repo root or from packages/db (if not hoisted). */
function resolveFrom(request) {
  for (const base of [path.join(root, 'package.json'), path.join(dbPackage, 'package.json')]) {
    try {
      return createRequire(base).resolve(request);
    } catch {}
  }
  return null;
}

function packageVersion(entry, name) {
  // Walk up from a resolved file to the package's own package.json.
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
  }
  return 'unknown';
}

const cli = resolveFrom('prisma/build/index.js');
if (!cli) {
  console.error('prisma-generate: the `prisma` package is not installed. Run `npm install` at the repo root.');
  process.exit(1);
}
const clientEntry = resolveFrom('@prisma/client');

const hash = createHash('sha256');
for (const part of [
  readFileSync(schemaPath),
  existsSync(configPath) ? readFileSync(configPath) : '',
  `prisma@${packageVersion(cli, 'prisma')}`,
  `@prisma/client@${clientEntry ? packageVersion(clientEntry, '@prisma/client') : 'missing'}`,
  'generator-script-v1',
]) {
  hash.update(part).update('\0');
}
const digest = hash.digest('hex');

const upToDate =
  !force &&
  existsSync(path.join(outputDir, 'client.ts')) &&
  existsSync(hashFile) &&
  readFileSync(hashFile, 'utf8').trim() === digest;
if (upToDate) {
  console.log('prisma-generate: client up to date with prisma/schema.prisma (skipped).');
  process.exit(0);
}

const env = {
  ...process.env,
  // Any existing file satisfies the CLI's engine check; generate never runs it.
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || scriptPath,
  CHECKPOINT_DISABLE: '1', // no telemetry / update check (checkpoint.prisma.io)
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  PRISMA_GENERATE_SKIP_AUTOINSTALL: '1', // never `npm install` anything from generate
  PRISMA_HIDE_PREVIEW_FLAG_WARNINGS: '1',
};

const started = Date.now();
const result = spawnSync(process.execPath, [cli, 'generate', '--config', configPath, '--schema', schemaPath], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (result.error || result.status !== 0) {
  console.error(`prisma-generate: \`prisma generate\` failed (${result.error?.message ?? `exit ${result.status}`}).`);
  process.exit(result.status || 1);
}
writeFileSync(hashFile, `${digest}\n`);
console.log(`prisma-generate: done in ${Date.now() - started} ms.`);
