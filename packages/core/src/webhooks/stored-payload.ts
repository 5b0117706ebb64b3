/**
 * A stored delivery's payload, parsed again from the signed bytes. GitHub
 * sends JSON, or the same JSON as the `payload` field of a form when the hook
 * asks for that content type (JSON never starts with `payload=`).
 */
export function storedPayload(rawBody: Uint8Array): Record<string, unknown> | null {
  const text = Buffer.from(rawBody).toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text.startsWith('payload=') ? (new URLSearchParams(text).get('payload') ?? '') : text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
