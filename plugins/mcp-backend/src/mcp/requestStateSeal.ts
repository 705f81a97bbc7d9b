import { createRequestStateCodec } from '@modelcontextprotocol/server';
import { hkdfSync } from 'node:crypto';

/** How long a client may take to come back with the state of a round. */
const TTL_SECONDS = 15 * 60;

interface SealedState {
  /** The principal the round was for. */
  p: string;
  /** The tool's own state. */
  s: string;
}

/**
 * Integrity for the multi-round-trip `requestState` (2026-07-28): the state
 * a tool hands out round-trips through the client, so it is sealed with an
 * HMAC under a key every replica shares, bound to the principal it was
 * minted for, and good for 15 minutes. A state that was changed, is too
 * old or comes back from another principal is refused before any tool runs.
 */
export function createRequestStateSeal(sharedKey: Buffer) {
  // A key of its own, derived from the shared secret-entry key.
  const key = Buffer.from(
    hkdfSync('sha256', sharedKey, Buffer.alloc(0), 'mcp.requestState', 32),
  );
  const codec = createRequestStateCodec<SealedState>({
    key: new Uint8Array(key),
    ttlSeconds: TTL_SECONDS,
  });
  return {
    mint: (state: string, principal: string) =>
      codec.mint({ p: principal, s: state }),
    async verify(wire: string, principal: string): Promise<string> {
      const sealed = await codec.verify(wire, undefined as never);
      if (sealed?.p !== principal || typeof sealed.s !== 'string')
        throw new Error('bind');
      return sealed.s;
    },
  };
}

/** See {@link createRequestStateSeal}. */
export type RequestStateSeal = ReturnType<typeof createRequestStateSeal>;
