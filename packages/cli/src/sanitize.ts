// Everything the server sends is text to show, never instructions for the
// terminal: an app name, a commit message, a config value or a log line could
// carry escape sequences that move the cursor, rewrite the screen, set the
// window title or hide what follows. In output for people, each control
// character is shown escaped (`\x1b`), as are the Unicode controls that
// reorder text (bidirectional overrides and isolates). `--json` output keeps
// the data intact (JSON escapes control characters itself).

function isUnsafe(code: number, keepLayout: boolean): boolean {
  if (keepLayout && (code === 0x0a || code === 0x09)) return false;
  return (
    code < 0x20 || // C0 controls, ESC among them
    (code >= 0x7f && code <= 0x9f) || // DEL and C1 controls (0x9b is a one-byte CSI)
    (code >= 0x202a && code <= 0x202e) || // bidirectional embeddings and overrides
    (code >= 0x2066 && code <= 0x2069) || // bidirectional isolates
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c
  );
}

function escaped(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value on one line (a table cell, a name, a message): every control character escaped, newlines too. */
export function sanitizeLine(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    out += isUnsafe(code, false) ? escaped(code) : ch;
  }
  return out;
}

/** Multi-line text (a log): newlines and tabs kept, CRLF read as a newline, every other control character escaped. */
export function sanitizeText(value: string): string {
  const text = value.replace(/\r\n/g, '\n');
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    out += isUnsafe(code, true) ? escaped(code) : ch;
  }
  return out;
}
