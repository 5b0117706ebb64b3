// One JSON line per event on stdout: greppable locally, parseable by any log
// shipper. Fields are the caller's; secrets must never be passed here.
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(processName: string, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) =>
    out(JSON.stringify({ time: new Date().toISOString(), level, process: processName, message, ...fields }));
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
