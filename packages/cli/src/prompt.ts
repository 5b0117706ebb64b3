import { createInterface } from 'node:readline';
import { CliError, EXIT } from './errors.js';

// Asking a person at a terminal (questions go to stderr, so stdout stays the
// command's answer), or reading what a script pipes in.

const interrupted = () => new CliError('interrupted', EXIT.interrupted, 'interrupted');

export const stdinIsTerminal = () => process.stdin.isTTY === true;

/** All of stdin (a script's input), as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A line typed at the terminal, echoed. */
export function ask(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(interrupted());
    });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

/** A line typed at the terminal without echoing it (a password). */
export function askHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    let value: string[] = [];
    const finish = (error?: CliError) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value.join(''));
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(interrupted());
        if (ch === '\u0004') return value.length === 0 ? finish(interrupted()) : finish();
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch === '\u0015') value = [];
        else if (ch >= ' ') value.push(ch);
      }
    };
    stdin.on('data', onData);
  });
}
