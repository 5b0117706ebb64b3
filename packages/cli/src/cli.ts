import { ensureOptions, parseCommandLine } from './args.js';
import { findCommand, suggest } from './commands/index.js';
import { createContext } from './context.js';
import { CliError, EXIT, usageError } from './errors.js';
import { commandHelp, mainHelp } from './help.js';
import { Output } from './output.js';
import { VERSION } from './version.js';

/** Runs one command line; answers the exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  signal: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // Before the arguments are understood, --json already decides how an error is told.
  let out = new Output(argv.includes('--json'));
  try {
    const parsed = parseCommandLine(argv);
    out = new Output(parsed.options.json === true);
    if (parsed.command === null || parsed.command === 'help') {
      if (parsed.options.version && parsed.command === null) {
        out.result({ version: VERSION }, () => out.line(`paas ${VERSION} node/${process.versions.node}`));
        return EXIT.ok;
      }
      const topic = parsed.command === 'help' ? parsed.args[0] : undefined;
      if (topic === undefined) process.stdout.write(mainHelp());
      else {
        const command = findCommand(topic);
        if (!command) throw unknownCommand(topic);
        process.stdout.write(commandHelp(command));
      }
      return EXIT.ok;
    }
    const command = findCommand(parsed.command);
    if (!command) throw unknownCommand(parsed.command);
    if (parsed.options.help) {
      process.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    ensureOptions(parsed.command, parsed.given, command.options ?? []);
    if (parsed.args.length < command.args.min) throw usageError(`missing argument: ${command.usage}`);
    if (parsed.args.length > command.args.max) {
      throw usageError(`unexpected argument "${parsed.args[command.args.max]}": ${command.usage}`);
    }
    const ctx = createContext(parsed.command, parsed, out, signal, env);
    return (await command.run(ctx)) ?? EXIT.ok;
  } catch (error) {
    const failure =
      error instanceof CliError
        ? error
        : new CliError(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, EXIT.failed, 'internal');
    out.error(failure);
    return failure.exitCode;
  }
}

function unknownCommand(name: string): CliError {
  const close = suggest(name);
  const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `\`paas ${c}\``).join(' or ')}?` : '';
  return usageError(`unknown command "${name}".${hint} See \`paas --help\`.`);
}
