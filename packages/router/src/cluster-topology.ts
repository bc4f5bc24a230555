import { brandErrorClass, FusedisError } from '@fusedis/resp';

/**
 * The cluster's shape as `CLUSTER SHARDS` (Redis 7+) or `CLUSTER SLOTS` (older servers) report it,
 * normalised to one form whatever the protocol (RESP3 maps or RESP2 flat arrays).
 */

/** Where a node listens. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** One node of a shard. */
export interface ClusterNodeInfo extends NodeAddress {
  /** The node id, when the server said it (`CLUSTER SLOTS` on very old servers may not). */
  readonly id: string | undefined;
  readonly role: 'master' | 'replica';
  /** `online`, `loading` or `failed`, from `CLUSTER SHARDS`; `online` for `CLUSTER SLOTS`. */
  readonly health: string;
}

/** A master, its replicas, and the slot ranges (inclusive) they serve. */
export interface ClusterShard {
  readonly ranges: readonly (readonly [first: number, last: number])[];
  readonly master: ClusterNodeInfo;
  readonly replicas: readonly ClusterNodeInfo[];
}

/** A topology reply of a shape no server sends: the router keeps its previous topology. */
export class TopologyParseError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.TopologyParseError');

  constructor(message: string) {
    super(message, 'ERR_CLUSTER_TOPOLOGY');
  }
}
brandErrorClass(TopologyParseError, 'TopologyParseError');

/** Reads one field of a RESP3 map (null-prototype object or Map) or of a RESP2 flat pair list. */
function field(entry: unknown, name: string): unknown {
  if (Array.isArray(entry)) {
    for (let i = 0; i + 1 < entry.length; i += 2) if (String(entry[i]) === name) return entry[i + 1];
    return undefined;
  }
  if (entry instanceof Map) return entry.get(name);
  if (typeof entry === 'object' && entry !== null) return (entry as Record<string, unknown>)[name];
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

/** A node's reachable host: its endpoint, unless unknown (`?`) or empty, then its ip. */
function hostOf(endpoint: string | undefined, ip: string | undefined, fallbackHost: string): string {
  if (endpoint !== undefined && endpoint !== '' && endpoint !== '?') return endpoint;
  if (ip !== undefined && ip !== '' && ip !== '?') return ip;
  return fallbackHost;
}

/** `CLUSTER SHARDS`'s health, as documented: servers say `fail` for what the docs call `failed`. */
function healthOf(health: string | undefined): string {
  if (health === undefined) return 'online';
  return health === 'fail' ? 'failed' : health;
}

/**
 * The master of a shard that lists several: a master that failed stays listed as one, beside the
 * replica promoted in its place, until it comes back as that one's replica (a master killed after
 * a manual failover was listed after its successor, and taking the last one routed its slots to a
 * dead node for as long as it stayed down). The online one, else one not failed, else any.
 */
function shardMaster(masters: readonly ClusterNodeInfo[]): ClusterNodeInfo | undefined {
  return (
    masters.find((node) => node.health === 'online') ??
    masters.find((node) => node.health !== 'failed') ??
    masters[0]
  );
}

/**
 * Parses a `CLUSTER SHARDS` reply. Shards without slots (a master that owns none) are kept out;
 * failed nodes are kept, with `health: 'failed'`, so callers decide. A shard's master is its online
 * one when it lists several (`shardMaster`).
 *
 * A node may list both `port` (plaintext) and `tls-port`; the one matching the client's own
 * transport is taken, the other only when a node lists nothing else (a TLS-only node has no
 * `port`). `CLUSTER SLOTS` and MOVED need no such choice: the server reports the port of the
 * asking connection's kind.
 * @param fallbackHost the host of the node that answered, for nodes that announce no address
 * @param tls whether the client reaches nodes over TLS. @default false
 */
export function parseClusterShards(reply: unknown, fallbackHost: string, tls = false): ClusterShard[] {
  if (!Array.isArray(reply)) throw new TopologyParseError('CLUSTER SHARDS reply is not an array');
  const shards: ClusterShard[] = [];
  for (const shard of reply) {
    const slots = field(shard, 'slots');
    const nodes = field(shard, 'nodes');
    if (!Array.isArray(slots) || !Array.isArray(nodes)) throw new TopologyParseError('malformed shard entry');
    const ranges: [number, number][] = [];
    for (let i = 0; i + 1 < slots.length; i += 2) ranges.push([Number(slots[i]), Number(slots[i + 1])]);
    const masters: ClusterNodeInfo[] = [];
    const replicas: ClusterNodeInfo[] = [];
    for (const node of nodes) {
      const plain = field(node, 'port');
      const secure = field(node, 'tls-port');
      const port = Number(tls ? (secure ?? plain) : (plain ?? secure));
      const info: ClusterNodeInfo = {
        host: hostOf(text(field(node, 'endpoint')), text(field(node, 'ip')), fallbackHost),
        port,
        id: text(field(node, 'id')),
        role: text(field(node, 'role')) === 'master' ? 'master' : 'replica',
        health: healthOf(text(field(node, 'health'))),
      };
      if (info.role === 'master') masters.push(info);
      else replicas.push(info);
    }
    const master = shardMaster(masters);
    if (ranges.length === 0 || master === undefined) continue;
    shards.push({ ranges, master, replicas });
  }
  return shards;
}

/**
 * Parses a `CLUSTER SLOTS` reply: `[first, last, [host, port, id, …], [replica…]…]` per range.
 * Ranges served by the same master are merged into one shard.
 */
export function parseClusterSlots(reply: unknown, fallbackHost: string): ClusterShard[] {
  if (!Array.isArray(reply)) throw new TopologyParseError('CLUSTER SLOTS reply is not an array');
  const byMaster = new Map<
    string,
    { ranges: [number, number][]; master: ClusterNodeInfo; replicas: ClusterNodeInfo[] }
  >();
  for (const range of reply) {
    if (!Array.isArray(range) || range.length < 3) throw new TopologyParseError('malformed slot range');
    const node = (entry: unknown, role: 'master' | 'replica'): ClusterNodeInfo => {
      if (!Array.isArray(entry)) throw new TopologyParseError('malformed slot range node');
      return {
        host: hostOf(text(entry[0]), undefined, fallbackHost),
        port: Number(entry[1]),
        id: text(entry[2]),
        role,
        health: 'online',
      };
    };
    const master = node(range[2], 'master');
    const key = `${master.host}:${master.port}`;
    let shard = byMaster.get(key);
    if (shard === undefined) {
      shard = { ranges: [], master, replicas: range.slice(3).map((entry) => node(entry, 'replica')) };
      byMaster.set(key, shard);
    }
    shard.ranges.push([Number(range[0]), Number(range[1])]);
  }
  return [...byMaster.values()];
}
