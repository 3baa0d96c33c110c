/**
 * What one client may cost the host: the server's hardening limits and their defaults (the README's
 * "Security" lists them). Each can be changed with `limits` on a Manager, BaseManager or Listener.
 */

export interface ServerLimits {
  /**
   * The largest object one call may ask the server to create, in bytes (`Array('d', n)` costs 8 bytes
   * an item). Default 64 MiB. Past it: `MemoryError`, and nothing is allocated.
   */
  maxObjectBytes?: number;
  /**
   * What one connection may hold in the server at once, in bytes: its calls still running (their
   * frames) plus answers queued for a peer that does not read them. Default 256 MiB. Calls past it
   * fail with `MemoryError`; a peer whose unread answers pass it is disconnected.
   */
  maxConnectionBytes?: number;
  /** Connections open at once, authenticated or still authenticating. Default 256. */
  maxConnections?: number;
  /**
   * Above this fraction of its heap limit (heap plus buffers in use) the server thread refuses calls carrying more than 64
   * bytes with `MemoryError` (small calls, such as `delete`, `pop`, `clear`, still run so clients can
   * free memory). Default 0.75.
   */
  maxHeapFraction?: number;
  /**
   * Milliseconds a peer (an IP address; every Unix socket client counts as one peer) must wait before
   * its next handshake starts, added per failed authentication and forgotten once it has passed:
   * about four guesses a second at the default of 250. A peer that never failed is never delayed.
   */
  authFailureDelay?: number;
}

export type ResolvedLimits = Required<ServerLimits>;

export const DEFAULT_LIMITS: ResolvedLimits = Object.freeze({
  maxObjectBytes: 64 * 1024 * 1024,
  maxConnectionBytes: 256 * 1024 * 1024,
  maxConnections: 256,
  maxHeapFraction: 0.75,
  authFailureDelay: 250,
});

/** `limits` over the defaults. @throws TypeError for a limit that is not a non-negative number. */
export function resolveLimits(limits: ServerLimits | undefined): ResolvedLimits {
  const resolved = { ...DEFAULT_LIMITS };
  if (limits === undefined) return resolved;
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ResolvedLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new TypeError(`limits.${key} must be a non-negative number, got ${String(value)}`);
    }
    resolved[key] = value;
  }
  return resolved;
}
