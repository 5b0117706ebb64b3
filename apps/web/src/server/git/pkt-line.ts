import 'server-only';

// Git's wire framing: each packet is 4 hex digits of length (including those
// 4) and its payload; "0000" is a flush. With side-band-64k, each packet's
// first byte names its band: 1 data, 2 progress (shown as "remote: …"), 3 error.

export const FLUSH = Buffer.from('0000');

export function pkt(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
}

/** Splits a buffer of packets; `null` stands for a flush. Stops at the first malformed length. */
export function parsePkts(buffer: Buffer): { packets: (Buffer | null)[]; rest: Buffer } {
  const packets: (Buffer | null)[] = [];
  let at = 0;
  while (at + 4 <= buffer.length) {
    const length = Number.parseInt(buffer.subarray(at, at + 4).toString(), 16);
    if (Number.isNaN(length)) break;
    if (length === 0) {
      packets.push(null);
      at += 4;
      continue;
    }
    if (length < 4 || at + length > buffer.length) break;
    packets.push(buffer.subarray(at + 4, at + length));
    at += length;
  }
  return { packets, rest: buffer.subarray(at) };
}

/** Progress text on band 2, split so no packet exceeds the 64k limit. */
export function progress(text: string): Buffer {
  const parts: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += 65_000) {
    parts.push(pkt(Buffer.concat([Buffer.from([2]), bytes.subarray(at, at + 65_000)])));
  }
  return Buffer.concat(parts);
}

export function band(n: 1 | 2 | 3, payload: Buffer): Buffer {
  return pkt(Buffer.concat([Buffer.from([n]), payload]));
}

/**
 * The ref updates a push asks for: the packets before the first flush, each
 * "<old> <new> <ref>" (the first followed by NUL and the client's capabilities).
 */
export function pushCommands(body: Buffer): { updates: { old: string; new: string; ref: string }[]; capabilities: string[] } {
  const updates: { old: string; new: string; ref: string }[] = [];
  let capabilities: string[] = [];
  for (const packet of parsePkts(body).packets) {
    if (packet === null) break;
    const [line, caps] = packet.toString('latin1').replace(/\n$/, '').split('\0');
    if (caps !== undefined) capabilities = caps.trim().split(/\s+/);
    const [oldSha, newSha, ref] = (line ?? '').split(' ');
    if (oldSha && newSha && ref) updates.push({ old: oldSha, new: newSha, ref });
  }
  return { updates, capabilities };
}
