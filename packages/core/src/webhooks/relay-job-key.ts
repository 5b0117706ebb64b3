/**
 * Asks for a relay are coalesced into one job per short window: every
 * receiver process that stores deliveries in the same window names the same
 * job, which runs when the window closes and relays everything stored by then.
 * A burst thus costs a few relay jobs a second, not one per delivery, and a
 * push waits at most one window longer.
 */
export const RELAY_WINDOW_MS = 50;

export function relayWindow(now: number): { key: string; delayMs: number } {
  const window = Math.floor(now / RELAY_WINDOW_MS);
  return { key: `window.${window}`, delayMs: (window + 1) * RELAY_WINDOW_MS - now };
}
