import { spawn } from 'node:child_process';

/** Where build output goes: whole lines, secrets already redacted by the log. */
export interface BuildLog {
  write(chunk: string | Buffer): void;
  line(text: string): void;
}

export interface ScriptRun {
  code: number;
  /** The last `-----> ` step the script printed: where a failed build stopped. */
  lastStep: string | null;
  /** Every `-----> ` line, which is how a script reports what it found. */
  steps: string;
}

export interface ScriptOptions {
  cwd: string;
  env: Record<string, string>;
  user?: { uid: number; gid: number } | null;
}

/** Runs a script with bash, streaming its output into the log. */
export function runScript(script: string, log: BuildLog, options: ScriptOptions): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-s'], {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env as unknown as NodeJS.ProcessEnv,
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    let lastStep: string | null = null;
    let steps = '';
    const onOutput = (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/^-----> (.+)$/gm)) {
        lastStep = match[1] ?? lastStep;
        steps += `${match[0]}\n`;
      }
      log.write(chunk);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), lastStep, steps }));
    child.stdin.end(script);
  });
}
