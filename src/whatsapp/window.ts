// The 24-hour customer-service window (cloud-api.md §7), decided in one place.
// Free-form messages may go out only while it is open; outside it only
// approved templates. We close it a little early: a reply composed in the
// last seconds would otherwise reach Meta after the window and fail (131047).

export const WINDOW_MS = 24 * 3600_000;
/** Safety margin before Meta's own deadline. */
export const WINDOW_MARGIN_MS = 2 * 60_000;

export type WindowState = {
  open: boolean;
  /** Epoch ms when free-form sending stops; null when the customer never wrote. */
  closesAt: number | null;
  /** Milliseconds of window left (0 when closed). */
  msLeft: number;
};

/** `lastInboundAt`: the customer's last message (epoch ms), null if never. */
export function windowState(lastInboundAt: number | null | undefined, now: number): WindowState {
  if (lastInboundAt === null || lastInboundAt === undefined || !Number.isFinite(Number(lastInboundAt))) {
    return { open: false, closesAt: null, msLeft: 0 };
  }
  const closesAt = Number(lastInboundAt) + WINDOW_MS - WINDOW_MARGIN_MS;
  const msLeft = Math.max(0, closesAt - now);
  return { open: msLeft > 0, closesAt, msLeft };
}

/** Convenience for a conversation row (`last_inbound_at` column). */
export function conversationWindow(conv: { last_inbound_at?: number | null; lastInboundAt?: number | null }, now: number): WindowState {
  return windowState(conv.lastInboundAt ?? conv.last_inbound_at ?? null, now);
}
