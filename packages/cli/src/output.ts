import type { CliError } from './errors.js';
import { sanitizeLine, sanitizeText } from './sanitize.js';

/**
 * Where a command's answer goes. For people (the default): short lines and
 * tables on stdout, problems on stderr, every server string made safe. With
 * `--json`: exactly one JSON document on stdout, and an error as JSON on stderr.
 */
export class Output {
  private wroteJson = false;

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** A line (or block) for people; the caller has made server strings safe (`sanitizeLine`, `table`). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** Streamed text from the server (a log): control characters escaped, newlines kept. */
  text(chunk: string): void {
    if (!this.json) this.stdout.write(sanitizeText(chunk));
  }

  /** A note for people on stderr (progress, hints), never part of the answer. */
  note(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }

  /** The command's answer: `doc` with --json, else what `human` prints. */
  result(doc: unknown, human: () => void): void {
    if (this.json) {
      if (this.wroteJson) throw new Error('a command answered twice');
      this.wroteJson = true;
      this.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    } else human();
  }

  error(error: CliError): void {
    if (this.json) {
      const { status, details } = error.extra;
      const body = {
        error: {
          code: error.code,
          message: error.message,
          exitCode: error.exitCode,
          ...(status !== undefined ? { status } : {}),
          ...(details !== undefined ? { details } : {}),
        },
      };
      this.stderr.write(`${JSON.stringify(body)}\n`);
    } else {
      this.stderr.write(`paas: ${error.message.split('\n').map(sanitizeLine).join('\n')}\n`);
    }
  }
}

export { sanitizeLine };
