import { request } from 'node:http';

/**
 * One health check: GET `path` on the instance's port. Any answer below 500
 * counts (an app may well answer 404 on `/`); a 5xx, a refusal or no answer in
 * time does not.
 */
export function probeHttp(port: number, timeoutMs: number, path = '/', host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({
      host,
      port,
      path,
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
      resolve((res.statusCode ?? 500) < 500);
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
