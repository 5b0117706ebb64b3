import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { shellQuote } from '@paas/buildpacks';
import { type Cgroup, procsFiles } from './cgroup';

// A process must be inside its cgroup before it runs anything of the app's:
// joining afterwards leaves a window in which it could fork children outside
// every limit. So the platform (root) starts a tiny shell that writes its own
// pid to the cgroup, sets rlimits, and only then drops to the app's user and
// execs the real command (same pid, so the recorded pid and start time hold).

/** Open files per process: bounds sockets (and so ports) an app can hold, far above what a sane app uses. */
export const OPEN_FILES_LIMIT = 65_536;

/** Rlimits used when there are no cgroups: weaker, but better than nothing. */
export interface FallbackRlimits {
  /**
   * Writable private memory per process in bytes (RLIMIT_DATA, which counts
   * malloc and anonymous mmap since Linux 4.7, not the address space V8 and
   * WebAssembly merely reserve): closest an rlimit gets to "memory used".
   */
  dataBytes: number;
  /** Processes of the app's user (RLIMIT_NPROC): counts every process of that user, not of one instance. */
  processes: number;
}

export interface LaunchInput {
  /** The cgroup to join, or null (no cgroups: the fallback rlimits apply). */
  cgroup: Cgroup | null;
  /** Who the command runs as; null: as the platform's user. */
  user: { uid: number; gid: number } | null;
  fallback: FallbackRlimits;
  /** The command and its arguments, exec'd at the end. */
  argv: string[];
}

export interface Launch {
  command: string;
  args: string[];
  /** Set when the wrapper cannot switch users itself: node's spawn does it (and the cgroup is joined from outside). */
  uid?: number;
  gid?: number;
}

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path)) ?? null;

/** How to spawn `argv` inside its limits. The caller spawns `command args` detached, as usual. */
export function launchCommand(input: LaunchInput): Launch {
  const asRoot = process.getuid?.() === 0;
  const switchHere = input.user !== null && asRoot && SETPRIV !== null;
  const lines: string[] = [];
  for (const file of input.cgroup ? procsFiles(input.cgroup) : []) {
    lines.push(`echo $$ > ${shellQuote(file)} 2>/dev/null || echo "paas: could not join ${file}; limits may not apply" >&2`);
  }
  lines.push(`ulimit -n ${OPEN_FILES_LIMIT} 2>/dev/null`);
  if (input.cgroup === null) {
    lines.push(`ulimit -d ${Math.floor(input.fallback.dataBytes / 1024)} 2>/dev/null`);
    // Only for a user of the app's own: on the platform's user it would count the platform's processes too.
    if (input.user !== null) {
      lines.push(`command -v prlimit >/dev/null 2>&1 && prlimit --pid $$ --nproc=${input.fallback.processes} 2>/dev/null`);
    }
  }
  if (switchHere && input.user) {
    const { uid, gid } = input.user;
    lines.push(`exec ${SETPRIV} --reuid=${uid} --regid=${gid} --clear-groups -- "$@"`);
  } else {
    lines.push('exec "$@"');
  }
  // $0 names the wrapper in ps; "$@" is argv, never re-parsed by the wrapper.
  const launch: Launch = { command: '/bin/sh', args: ['-c', lines.join('\n'), 'paas-launch', ...input.argv] };
  if (input.user !== null && !switchHere) {
    launch.uid = input.user.uid;
    launch.gid = input.user.gid;
  }
  return launch;
}

/**
 * Moves a just-started process into its cgroup from outside. A no-op when the
 * wrapper joined it already; the only way in when the wrapper ran as the app's
 * user (no setpriv), at the cost of a short window before it is in.
 */
export async function joinFromOutside(cgroup: Cgroup | null, pid: number): Promise<void> {
  if (cgroup === null) return;
  for (const file of procsFiles(cgroup)) await writeFile(file, String(pid)).catch(() => {});
}
