#!/usr/bin/env node
import { runCli } from './cli.js';
import { EXIT } from './errors.js';

// The `paas` executable: runs the command line, then exits with its code once
// stdout and stderr are flushed.

// `paas logs | head`: a reader that goes away is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
}

// The first Ctrl-C ends what is streaming or being watched, cleanly; a second one exits at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
  interrupt.abort();
});

const code = await runCli(process.argv.slice(2), interrupt.signal);
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
