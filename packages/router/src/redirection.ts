import type { NodeAddress } from './cluster-topology.js';
import { SLOT_COUNT } from './key-slot.js';

/** A cluster redirection read from a `MOVED` or `ASK` error. */
export interface Redirection extends NodeAddress {
  readonly kind: 'moved' | 'ask';
  readonly slot: number;
}

/**
 * Reads `MOVED <slot> <host>:<port>` or `ASK <slot> <host>:<port>` from a server error message.
 * An empty host (`MOVED 3999 :6380`) means "the host you asked", given as `askedHost`.
 * Returns undefined for any other error, and for a malformed one — a slot outside 0..16383, a
 * port outside 1..65535 — which the caller must not follow (DESIGN: redirections are validated).
 */
export function parseRedirection(message: string, askedHost: string): Redirection | undefined {
  let kind: 'moved' | 'ask';
  if (message.startsWith('MOVED ')) kind = 'moved';
  else if (message.startsWith('ASK ')) kind = 'ask';
  else return undefined;
  const parts = message.split(' ');
  if (parts.length !== 3) return undefined;
  const slot = Number(parts[1]);
  const address = parts[2] as string;
  const colon = address.lastIndexOf(':');
  if (colon === -1) return undefined;
  const port = Number(address.slice(colon + 1));
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '') host = askedHost;
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { kind, slot, host, port };
}
