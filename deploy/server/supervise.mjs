#!/usr/bin/env node
// Runs systemd service units where systemd is not running (a container, a
// chroot): the installer starts this when it finds no systemd, with the same
// unit files systemd would run. It reads what those units use (User, Group,
// WorkingDirectory, EnvironmentFile, Environment, ExecStart, Restart,
// RestartSec, TimeoutStopSec, AmbientCapabilities), writes each unit's output
// to <logDir>/<unit>.log, and stops them all, last first, on SIGTERM. Units do
// not come back after a reboot here: that needs systemd.
//
//   node supervise.mjs --log-dir DIR --pid-file FILE unit.service...
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { 'log-dir': { type: 'string' }, 'pid-file': { type: 'string' } },
  allowPositionals: true,
});
if (!values['log-dir'] || positionals.length === 0) {
  console.error('usage: node supervise.mjs --log-dir DIR [--pid-file FILE] unit.service...');
  process.exit(2);
}

/** The [Service] section's settings; repeated keys (Environment) accumulate. */
function parseUnit(text) {
  const service = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const eq = line.indexOf('=');
    if (section !== 'Service' || eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    service[key] = key in service && key === 'Environment' ? `${service[key]} ${value}` : value;
  }
  return service;
}

/** KEY=value lines, values optionally in double quotes, as systemd's EnvironmentFile reads them. */
function readEnvironmentFile(path) {
  const optional = path.startsWith('-');
  const file = optional ? path.slice(1) : path;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (optional) return {};
    throw error;
  }
  const env = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    env[m[1]] = value;
  }
  return env;
}

const units = positionals.map((path) => ({
  path,
  name: basename(path, '.service'),
  unit: parseUnit(readFileSync(path, 'utf8')),
}));
const running = new Map();
let stopping = false;

/** The environment systemd gives a unit's commands: a plain PATH, the user's name and home, Environment=, EnvironmentFile=. */
function unitEnv(unit) {
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
  const user = unit.User ?? 'root';
  // As systemd does for User=: the user's name and home.
  const home = execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).split(':')[5];
  Object.assign(env, { USER: user, LOGNAME: user, HOME: home });
  for (const pair of (unit.Environment ?? '').split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (unit.EnvironmentFile) Object.assign(env, readEnvironmentFile(unit.EnvironmentFile));
  return env;
}

function start({ name, unit }) {
  const env = unitEnv(unit);
  const argv = asUser(unit, unit.ExecStart);
  const log = createWriteStream(`${values['log-dir']}/${name}.log`, { flags: 'a', mode: 0o640 });
  const child = spawn(argv[0], argv[1], { cwd: unit.WorkingDirectory ?? '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  running.set(name, child);
  child.on('exit', (code, signal) => {
    if (running.get(name) === child) running.delete(name);
    log.write(`supervise: ${name} exited (${signal ?? code})\n`);
    if (stopping || child.replaced || unit.Restart === 'no' || (unit.Restart !== 'always' && code === 0)) return;
    setTimeout(() => !stopping && !running.has(name) && start({ name, unit }), Number.parseFloat(unit.RestartSec ?? '1') * 1000);
  });
}

/** [command, args] that run a unit's command line as its User= (setpriv keeps AmbientCapabilities=). */
function asUser(unit, commandLine) {
  const user = unit.User ?? 'root';
  const [command, ...args] = commandLine.split(/\s+/);
  const caps = (unit.AmbientCapabilities ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((cap) => `+${cap.toLowerCase().replace(/^cap_/, '')}`)
    .join(',');
  if (user === 'root') return [command, args];
  return [
    'setpriv',
    [
      '--reuid',
      user,
      '--regid',
      unit.Group ?? user,
      '--init-groups',
      ...(caps ? ['--inh-caps', caps, '--ambient-caps', caps] : []),
      '--',
      command,
      ...args,
    ],
  ];
}

async function stopOne({ name, unit }) {
  const child = running.get(name);
  if (!child) return;
  child.replaced = true;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), Number.parseFloat(unit.TimeoutStopSec ?? '90') * 1000);
  await exited;
  clearTimeout(timer);
}

// SIGHUP, as `systemctl restart` of each unit in turn after an upgrade: the
// unit files are read again and each unit restarts after the one before it,
// a unit with ExecReload= (the proxy) reloads instead, so the proxy keeps
// its connections and holds requests while a process behind it restarts.
let restarting = Promise.resolve();
function rollingRestart() {
  restarting = restarting.then(async () => {
    for (const entry of units) entry.unit = parseUnit(readFileSync(entry.path, 'utf8'));
    for (const entry of units) {
      if (stopping) return;
      if (entry.unit.ExecReload && running.has(entry.name)) {
        const [command, args] = asUser(entry.unit, entry.unit.ExecReload);
        await new Promise((resolve) => spawn(command, args, { stdio: 'ignore' }).on('exit', resolve));
        continue;
      }
      await stopOne(entry);
      start(entry);
      // As systemd: started once ExecStartPost= (waiting until it serves) is done.
      if (entry.unit.ExecStartPost) {
        const [command, args] = asUser(entry.unit, entry.unit.ExecStartPost);
        await new Promise((resolve) =>
          spawn(command, args, { cwd: entry.unit.WorkingDirectory ?? '/', env: unitEnv(entry.unit), stdio: 'ignore' }).on(
            'exit',
            resolve,
          ),
        );
      }
    }
    if (values['pid-file']) writeFileSync(`${values['pid-file']}.restarted`, `${Date.now()}\n`);
  });
}

async function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const entry of [...units].reverse()) await stopOne(entry);
  if (values['pid-file']) rmSync(values['pid-file'], { force: true });
  process.exit(0);
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void stopAll());
process.on('SIGHUP', rollingRestart);
if (values['pid-file']) writeFileSync(values['pid-file'], `${process.pid}\n`);
for (const unit of units) start(unit);
