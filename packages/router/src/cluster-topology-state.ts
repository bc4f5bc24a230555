import { InvalidOptionError } from '@fusedis/pool';
import { ReplyError } from '@fusedis/resp';
import {
  type ClusterNodeInfo,
  type ClusterShard,
  type NodeAddress,
  parseClusterShards,
  parseClusterSlots,
} from './cluster-topology.js';
import { TopologyDiscoveryError } from './errors.js';
import { SLOT_COUNT } from './key-slot.js';
import { addressKey, type NodeLink, sameAddress } from './node-link.js';

/**
 * What the cluster router knows of the cluster: the shards, and for each of the 16,384 slots the
 * shard that serves it. Refreshed single-flight from any node that answers (known masters first,
 * then the seeds), with `CLUSTER SHARDS`, or `CLUSTER SLOTS` on servers older than 7.
 */
export class ClusterTopology {
  #shards: readonly ClusterShard[] = [];
  /** Shard index per slot; -1 where no shard serves it. */
  readonly #slots = new Int16Array(SLOT_COUNT).fill(-1);
  readonly #nodes = new Set<string>();
  readonly #seeds: readonly NodeAddress[];
  readonly #link: (address: NodeAddress) => NodeLink;
  readonly #natMap: (address: NodeAddress) => NodeAddress;
  readonly #onChange: (shards: readonly ClusterShard[]) => void;
  #refreshing: Promise<void> | undefined;
  /** Set by `stop()`: discovery ends with it (the router was destroyed). */
  #stopped: Error | undefined;
  #replicaTurn = 0;
  #useSlots = false;

  constructor(
    seeds: readonly NodeAddress[],
    link: (address: NodeAddress) => NodeLink,
    natMap: (address: NodeAddress) => NodeAddress,
    onChange: (shards: readonly ClusterShard[]) => void,
  ) {
    this.#seeds = seeds;
    this.#link = link;
    this.#natMap = natMap;
    this.#onChange = onChange;
  }

  /** True once a refresh succeeded. */
  get known(): boolean {
    return this.#shards.length > 0;
  }

  get shards(): readonly ClusterShard[] {
    return this.#shards;
  }

  /** Discovers the topology unless it is known. */
  ensure(): Promise<void> {
    return this.known ? Promise.resolve() : this.refresh();
  }

  /** Asks the cluster for its topology again; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#discover().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Ends any discovery, now and later, with `reason`. */
  stop(reason: Error): void {
    this.#stopped = reason;
  }

  /** Resolves once no refresh is in flight (whatever its outcome). */
  settled(): Promise<void> {
    const refreshing = this.#refreshing;
    return refreshing === undefined
      ? Promise.resolve()
      : refreshing.then(
          () => {},
          () => {},
        );
  }

  shardOf(slot: number): ClusterShard | undefined {
    const index = this.#slots[slot] as number;
    return index < 0 ? undefined : this.#shards[index];
  }

  /** A shard at random: keyless commands spread over the masters. */
  anyShard(): ClusterShard | undefined {
    return this.#shards[Math.floor(Math.random() * this.#shards.length)];
  }

  anySeed(): NodeAddress {
    return this.#natMap(this.#seeds[Math.floor(Math.random() * this.#seeds.length)] as NodeAddress);
  }

  isSeed(address: NodeAddress): boolean {
    const key = addressKey(address);
    return this.#seeds.some((seed) => addressKey(this.#natMap(seed)) === key);
  }

  /** An online replica of `shard`, in turn; undefined when it has none online. */
  pickReplica(shard: ClusterShard): ClusterNodeInfo | undefined {
    const online = shard.replicas.filter((replica) => replica.health === 'online');
    if (online.length === 0) return undefined;
    this.#replicaTurn = (this.#replicaTurn + 1) % online.length;
    return online[this.#replicaTurn];
  }

  /** The address after NAT mapping. */
  map(address: NodeAddress): NodeAddress {
    return this.#natMap({ host: address.host, port: address.port });
  }

  /** True when the last topology lists `address` (master or replica). */
  knowsNode(address: NodeAddress): boolean {
    return this.#nodes.has(addressKey(address));
  }

  /** After MOVED: `slot` now belongs to the shard whose master is `address`, if that is known. */
  moveSlot(slot: number, address: NodeAddress): void {
    const key = addressKey(address);
    const index = this.#shards.findIndex((shard) => addressKey(shard.master) === key);
    if (index >= 0) this.#slots[slot] = index;
  }

  async #discover(): Promise<void> {
    const candidates = [
      ...this.#shards.map((shard) => shard.master),
      ...this.#seeds.map((seed) => this.#natMap(seed)),
    ];
    const tried = new Set<string>();
    let lastError: unknown;
    for (const address of candidates) {
      const key = addressKey(address);
      if (tried.has(key)) continue;
      tried.add(key);
      try {
        if (this.#stopped !== undefined) throw this.#stopped;
        this.#apply(await this.#ask(address));
        return;
      } catch (err) {
        // The user's natMap refused an address: no other node would make it right.
        if (err instanceof InvalidOptionError) throw err;
        if (this.#stopped !== undefined) throw this.#stopped;
        lastError = err;
      }
    }
    throw new TopologyDiscoveryError(`no cluster node answered (tried ${[...tried].join(', ')})`, {
      cause: lastError,
    });
  }

  async #ask(address: NodeAddress): Promise<ClusterShard[]> {
    const connection = await this.#link(address).connection();
    if (!this.#useSlots) {
      try {
        // The built-in tls() transport labels its links tls://…; a custom TLS transport should too.
        const tls = connection.label.startsWith('tls://');
        const reply = await connection.send({ args: ['CLUSTER', 'SHARDS'] });
        return parseClusterShards(reply, address.host, tls);
      } catch (err) {
        if (!(err instanceof ReplyError) || !/unknown/i.test(err.message)) throw err;
        this.#useSlots = true;
      }
    }
    return parseClusterSlots(await connection.send({ args: ['CLUSTER', 'SLOTS'] }), address.host);
  }

  #apply(parsed: readonly ClusterShard[]): void {
    const shards = parsed.map((shard) => ({
      ranges: shard.ranges,
      master: this.#mapNode(shard.master),
      replicas: shard.replicas.map((replica) => this.#mapNode(replica)),
    }));
    if (shards.length === 0) throw new TopologyDiscoveryError('the cluster reported no slots');
    this.#slots.fill(-1);
    this.#nodes.clear();
    shards.forEach((shard, index) => {
      for (const [first, last] of shard.ranges) this.#slots.fill(index, first, last + 1);
      this.#nodes.add(addressKey(shard.master));
      for (const replica of shard.replicas) this.#nodes.add(addressKey(replica));
    });
    this.#shards = shards;
    this.#onChange(shards);
  }

  #mapNode(node: ClusterNodeInfo): ClusterNodeInfo {
    const mapped = this.#natMap({ host: node.host, port: node.port });
    return sameAddress(mapped, node) ? node : { ...node, host: mapped.host, port: mapped.port };
  }
}
