import type { ProcessCommands } from './build-plan';
import { DetectionError } from './detection-error';

// Heroku's rule for process type names; they also end up in server group names
// (`<app>-v<N>-<type>`), log paths and DNS-ish places, so they stay this narrow.
const PROCESS_TYPE = /^[A-Za-z0-9_-]{1,30}$/;

/** Parses `type: command` lines; blank lines and `#` comments are ignored. */
export function parseProcfile(text: string): ProcessCommands {
  const processes: ProcessCommands = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `Procfile line ${index + 1}`;
    const colon = line.indexOf(':');
    if (colon === -1) throw new DetectionError(`${where}: expected "type: command", got "${line}"`);
    const type = line.slice(0, colon).trim();
    const command = line.slice(colon + 1).trim();
    if (!PROCESS_TYPE.test(type)) {
      throw new DetectionError(`${where}: process type "${type}" must be 1-30 letters, digits, "_" or "-"`);
    }
    if (command === '') throw new DetectionError(`${where}: process type "${type}" has no command`);
    if (Object.hasOwn(processes, type)) throw new DetectionError(`${where}: process type "${type}" is declared twice`);
    processes[type] = command;
  }
  if (Object.keys(processes).length === 0) {
    throw new DetectionError('Procfile declares no process types; add a line like "web: node server.js"');
  }
  return processes;
}

export function isValidProcessType(type: string): boolean {
  return PROCESS_TYPE.test(type);
}
