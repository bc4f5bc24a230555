import type { NodeAddress } from './cluster-topology.js';

/** The sentinel channels a `SentinelRouter` listens to. */
export const SENTINEL_CHANNELS = ['+switch-master', '+selected-slave', '+sentinel'] as const;

/** What a sentinel's message says about one master's failover. */
export type SentinelEvent =
  /** `+switch-master`: the failover is over, `master` is the master now. */
  | { readonly kind: 'switch-master'; readonly master: NodeAddress }
  /**
   * `+selected-slave`: the failover's leader chose `replica` and is about to make it master
   * (`REPLICAOF NO ONE` follows at once); the sentinels will name it about a second later.
   */
  | { readonly kind: 'selected-replica'; readonly replica: NodeAddress }
  /** `+sentinel`: another sentinel that monitors the master has joined, at `sentinel`. */
  | { readonly kind: 'sentinel-added'; readonly sentinel: NodeAddress };

/**
 * Reads a RESP3 pub/sub push from a sentinel: the event, when it concerns `masterName`.
 * Payloads: `+switch-master` is `<name> <old-ip> <old-port> <new-ip> <new-port>`;
 * `+selected-slave` is `slave <ip>:<port> <ip> <port> @ <name> <master-ip> <master-port>`;
 * `+sentinel` is `sentinel <run-id> <ip> <port> @ <name> <master-ip> <master-port>`.
 */
export function sentinelEvent(push: unknown[], masterName: string): SentinelEvent | undefined {
  if (push[0] !== 'message') return undefined;
  const words = String(push[2]).split(' ');
  if (push[1] === '+switch-master') {
    const [name, , , host, port] = words;
    if (name !== masterName) return undefined;
    const master = parseAddress(host, port);
    return master === undefined ? undefined : { kind: 'switch-master', master };
  }
  const kind = push[1] === '+selected-slave' ? 'slave' : push[1] === '+sentinel' ? 'sentinel' : undefined;
  if (kind === undefined) return undefined;
  const [type, , host, port, at, name] = words;
  if (type !== kind || at !== '@' || name !== masterName) return undefined;
  const instance = parseAddress(host, port);
  if (instance === undefined) return undefined;
  return kind === 'slave'
    ? { kind: 'selected-replica', replica: instance }
    : { kind: 'sentinel-added', sentinel: instance };
}

/** `host` and `port` as a sentinel writes them (events, `SENTINEL REPLICAS`/`SENTINELS` fields), if valid. */
export function parseAddress(host: string | undefined, port: string | undefined): NodeAddress | undefined {
  const number = Number(port);
  if (host === undefined || host === '' || !Number.isInteger(number) || number <= 0) return undefined;
  return { host, port: number };
}
