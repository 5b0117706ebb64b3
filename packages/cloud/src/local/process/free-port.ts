import { createServer } from 'node:net';

/** A port nothing listens on right now (the kernel picks it), avoiding ones we already handed out. */
export async function freePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
        );
      });
    });
    if (!avoid.has(port)) return port;
  }
  throw new Error('could not find a free port');
}
