import { CliError, EXIT, exitCodeForStatus, notSignedIn } from './errors.js';
import { VERSION } from './version.js';

// The REST API over the global fetch: JSON in and out, Bearer token auth, and
// the API's coded errors (`{"error": {code, message, details?}}`) turned into
// the CLI's exit codes. The token is only ever put in the Authorization header.

const REQUEST_TIMEOUT_MS = 60_000;

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no Authorization header (sign-in, which uses a session cookie). */
  anonymous?: boolean;
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** `http://host:3000/` → `http://host:3000`; refuses what is not an http(s) URL. */
export function normalizeApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(
      `"${raw}" is not a URL: give the platform's address, e.g. --api https://paas.example.com`,
      EXIT.usage,
      'usage',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`the API URL must start with http:// or https:// (got "${raw}")`, EXIT.usage, 'usage');
  }
  if (url.username || url.password) throw new CliError('the API URL must not contain credentials', EXIT.usage, 'usage');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function networkError(baseUrl: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CliError(`no answer from ${baseUrl} in time`, EXIT.failed, 'network');
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`could not reach ${baseUrl}: ${why}`, EXIT.failed, 'network');
}

/** The CliError for an answer that is not a success, from the API's error JSON (or better-auth's). */
export async function errorFromResponse(res: Response, context?: string): Promise<CliError> {
  const text = await res.text().catch(() => '');
  let code = res.status >= 500 ? 'server_error' : `http_${res.status}`;
  let message = '';
  let details: unknown;
  try {
    const json = JSON.parse(text) as { error?: unknown; code?: unknown; message?: unknown };
    if (json && typeof json.error === 'object' && json.error !== null) {
      const e = json.error as { code?: unknown; message?: unknown; details?: unknown };
      if (typeof e.code === 'string') code = e.code;
      if (typeof e.message === 'string') message = e.message;
      details = e.details;
    } else if (typeof json?.message === 'string') {
      message = json.message;
      if (typeof json.code === 'string') code = json.code.toLowerCase();
    }
  } catch {
    message = text.trim().slice(0, 500);
  }
  if (!message) message = `the server answered ${res.status} ${res.statusText}`.trim();
  if (res.status === 429) {
    code = 'rate_limited';
    const after = res.headers.get('retry-after');
    if (after && /^\d+$/.test(after)) message += ` (try again in ${after} s)`;
  }
  if (res.status >= 500) message = `the server failed (${res.status}): ${message}`;
  return new CliError(context ? `${context}: ${message}` : message, exitCodeForStatus(res.status), code, {
    status: res.status,
    ...(details !== undefined ? { details } : {}),
  });
}

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
    /** Where the token came from, for the message when it is refused. */
    private readonly tokenSource: 'env' | 'stored' | null = null,
  ) {}

  private headers(opts: RequestOptions, json: boolean): Record<string, string> {
    const h: Record<string, string> = {
      'user-agent': `paas-cli/${VERSION} node/${process.versions.node}`,
      accept: 'application/json',
    };
    if (json) h['content-type'] = 'application/json';
    if (!opts.anonymous) {
      if (!this.token) throw notSignedIn('not signed in: run `paas login` (or set PAAS_TOKEN)');
      h.authorization = `Bearer ${this.token}`;
    }
    return { ...h, ...opts.headers };
  }

  private async refused(res: Response): Promise<CliError> {
    const error = await errorFromResponse(res);
    if (res.status !== 401 || !this.tokenSource) return error;
    const hint = this.tokenSource === 'env' ? 'PAAS_TOKEN was refused' : 'run `paas login` again';
    return new CliError(`${error.message} (${hint})`, error.exitCode, error.code, error.extra);
  }

  /** Any method; the answer's JSON (null when it has none). Throws a CliError for every non-2xx status. */
  async call<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
    const res = await this.fetch(method, path, opts);
    if (!res.ok) throw await this.refused(res);
    const text = await res.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(`the server answered ${method} ${path} with something other than JSON`, EXIT.failed, 'bad_response');
      }
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  get<T = unknown>(path: string) {
    return this.call<T>('GET', path).then((a) => a.body);
  }

  /** The raw response (sign-in needs its cookies); network failures become CliErrors. */
  async fetch(method: string, path: string, opts: RequestOptions = {}, signal?: AbortSignal): Promise<Response> {
    const hasBody = opts.body !== undefined;
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(opts, hasBody),
        ...(hasBody ? { body: JSON.stringify(opts.body) } : {}),
        redirect: 'manual',
        signal: signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw networkError(this.baseUrl, error);
    }
  }

  /**
   * A text/plain stream (logs): `onText` sees each piece as it arrives, until
   * the server ends it or `signal` aborts (then it resolves quietly).
   */
  async stream(path: string, onText: (text: string) => void, signal: AbortSignal): Promise<void> {
    let res: Response;
    try {
      res = await this.fetch('GET', path, { headers: { accept: 'text/plain' } }, signal);
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (!res.ok) throw await this.refused(res);
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        onText(decoder.decode(value, { stream: true }));
      }
      const rest = decoder.decode();
      if (rest) onText(rest);
    } catch (error) {
      if (signal.aborted) return;
      throw networkError(this.baseUrl, error);
    }
  }
}

/** A path segment from user input (an app name, a hostname), encoded. */
export const seg = (value: string) => encodeURIComponent(value);
