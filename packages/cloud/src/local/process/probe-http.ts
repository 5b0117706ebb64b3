import { request } from 'node:http';

/** Any HTTP response counts as alive, like an ALB health check that accepts every status. */
export function probeHttp(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({
      host,
      port,
      path: '/',
      method: 'GET',
      agent: false,
      timeout: timeoutMs,
      headers: { 'user-agent': 'paas-health-check', connection: 'close' },
    });
    const timer = setTimeout(() => req.destroy(), timeoutMs);
    req.once('response', (res) => {
      clearTimeout(timer);
      res.resume();
      res.destroy();
      resolve(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    req.once('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
    req.end();
  });
}
