/**
 * Asks for a relay are coalesced per short window, so a burst costs a few relay
 * jobs a second, not one per delivery, while a lone push waits for nothing:
 * the first delivery stored in a window is relayed at once; those stored later
 * in the same window are relayed together when it closes, by one delayed job
 * that every receiver process names alike.
 */
export const RELAY_WINDOW_MS = 50;

export function relayWindow(now: number): { window: number; now: { key: string }; atClose: { key: string; delayMs: number } } {
  const window = Math.floor(now / RELAY_WINDOW_MS);
  return {
    window,
    now: { key: `now.${window}` },
    atClose: { key: `close.${window}`, delayMs: (window + 1) * RELAY_WINDOW_MS - now },
  };
}
