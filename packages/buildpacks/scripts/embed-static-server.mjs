// Writes src/generated/static-server-source.ts from src/static-server.mjs:
//   npm run embed -w @paas/buildpacks
// The build script carries the server's text (a builder instance has only the
// bundled agent, no checkout to copy the file from); a unit test fails when
// the two differ.
import { readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync(new URL('../src/static-server.mjs', import.meta.url), 'utf8');
const out = new URL('../src/generated/static-server-source.ts', import.meta.url);
writeFileSync(
  out,
  [
    '// Generated from src/static-server.mjs by scripts/embed-static-server.mjs; do not edit.',
    `export const STATIC_SERVER_SOURCE: string = ${JSON.stringify(source)};`,
    '',
  ].join('\n'),
);
