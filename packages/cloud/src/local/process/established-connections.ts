import { readFile } from 'node:fs/promises';

const ESTABLISHED = '01';
const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/**
 * How many TCP connections to a local port are open right now, read from the
 * kernel's socket tables: the router's requests, keep-alive connections and
 * WebSockets alike, without asking the router or the app. The listening
 * socket itself is not counted (it is in state LISTEN, not ESTABLISHED).
 */
export async function establishedConnections(port: number): Promise<number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const table of TABLES) {
    let text: string;
    try {
      text = await readFile(table, 'latin1');
    } catch {
      continue; // no IPv6 on this host
    }
    for (const line of text.split('\n')) {
      // "  12: 0100007F:1F90 0100007F:C350 01 ...": local address, remote address, state.
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (fields[3] === ESTABLISHED && local !== undefined && local.endsWith(`:${hexPort}`)) count += 1;
    }
  }
  return count;
}
