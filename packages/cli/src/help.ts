import { COMMANDS } from './commands/index.js';
import type { Command } from './context.js';
import { VERSION } from './version.js';

export const EXIT_CODES_HELP = `Exit codes:
    0  ok
    1  failed: the server failed (5xx), a deployment failed, or the network did
    2  usage error: bad arguments, unknown command, no app given (-a)
    3  not signed in, or the token is invalid, revoked or expired (401)
    4  forbidden: your role may not do this (403)
    5  not found: no such app, release or domain (404)
    6  refused: the server refused the input, or it conflicts (400, 409, 413, 422)
    7  rate limited: too many requests, try again later (429)
  130  interrupted (Ctrl-C) before it finished`;

const ENVIRONMENT_HELP = `Environment:
  PAAS_API_URL     the platform's URL (else the one you logged in to, else http://localhost:3000)
  PAAS_TOKEN       an API token to use instead of the stored credentials (CI)
  PAAS_APP         the app, when -a is not given
  PAAS_PASSWORD    the password for \`paas login\` (else asked, or read from stdin)
  PAAS_CONFIG_DIR  where credentials.json is kept (default ~/.config/paas)`;

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `paas ${VERSION}: the command line of your platform

Usage: paas COMMAND [ARGS] [OPTIONS]

Commands:
${list}

Options:
  -a, --app NAME  the app (commands about one app); without it, PAAS_APP, else the app of the
                  \`paas\` git remote of this directory (<platform>/git/<app>.git)
  --api URL       the platform's URL (also PAAS_API_URL)
  --json          machine output: one JSON document on stdout; errors as JSON on stderr
  -h, --help      help (\`paas COMMAND --help\` for one command)
  --version       the version of paas

${ENVIRONMENT_HELP}

${EXIT_CODES_HELP}
`;
}

export function commandHelp(command: Command): string {
  const parts = [`Usage: ${command.usage}`, '', command.summary.charAt(0).toUpperCase() + command.summary.slice(1)];
  if (command.description) parts.push('', command.description);
  if (command.aliases?.length) parts.push('', `Also: ${command.aliases.map((a) => `paas ${a}`).join(', ')}`);
  parts.push('', 'Examples:', ...command.examples.map((e) => `  $ ${e}`));
  parts.push('', 'Every command also takes --api URL, --json and --help. See `paas --help` for exit codes.');
  return `${parts.join('\n')}\n`;
}
