import type { Command } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { sanitizeText } from '../sanitize.js';

export interface DoctorCheckView {
  id: string;
  title: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** The report for people: one block per check, the fix indented under what is wrong. */
export function doctorLines(checks: DoctorCheckView[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status] ?? sanitizeLine(String(c.status))}  ${sanitizeLine(c.title)}: ${sanitizeLine(c.detail)}`);
    if (c.fix) lines.push(`      fix: ${sanitizeText(c.fix).replaceAll('\n', '\n           ')}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  lines.push(
    failed > 0
      ? `${failed} check${failed === 1 ? '' : 's'} failed${warned ? `, ${warned} with warnings` : ''}.`
      : warned > 0
        ? `No check failed; ${warned} with warnings.`
        : 'Every check passed.',
  );
  return lines;
}

export const doctor: Command = {
  name: 'doctor',
  summary: "check the platform's install: database, Redis, key, disk, GitHub App, cloud accounts, DNS",
  usage: 'paas doctor',
  description:
    'Runs every check on the platform (as its web server sees it) and prints each one ok, warn or FAIL, with\n' +
    'the command or setting that fixes it. For admins of the platform’s own team. Exits 1 when a check fails\n' +
    '(warnings exit 0). --json: {status, checks: [{id, title, status, detail, fix?}]}.',
  examples: ['paas doctor', 'paas doctor --json'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    let report: { status: 'ok' | 'warn' | 'fail'; checks: DoctorCheckView[] };
    try {
      report = await ctx.api().get('/api/v1/doctor');
    } catch (error) {
      // The server answers only when its database does: without it, say where to look instead.
      if (error instanceof CliError && error.extra.status !== undefined && error.extra.status >= 500) {
        throw new CliError(
          `${error.message}\nThe platform could not run its check-up. On its server, check that PostgreSQL and Redis run and that ` +
            'DATABASE_URL and REDIS_URL point at them (`npm start` says which one it cannot reach).',
          error.exitCode,
          error.code,
          error.extra,
        );
      }
      throw error;
    }
    ctx.out.result(report, () => {
      for (const line of doctorLines(report.checks)) ctx.out.line(line);
    });
    return report.checks.some((c) => c.status === 'fail') ? EXIT.failed : EXIT.ok;
  },
};
