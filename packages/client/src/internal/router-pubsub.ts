import type { Command, CommandArg } from '@fusedis/resp';
import { keySlot, type Router } from '@fusedis/router';

/** One node of `router.scanTargets()` (the type is not exported by `@fusedis/router`). */
export type ScanTarget = Awaited<ReturnType<NonNullable<Router['scanTargets']>>>[number];

/** Pub/sub commands that must reach one and the same node for the client's whole life. */
const PINNED = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE']);
/** Shard channels: each goes to the shard owning the channel's slot. */
const SHARDED = new Set(['SSUBSCRIBE', 'SUNSUBSCRIBE']);

/**
 * Restore attempts before the `error` listeners are told; the restore goes on after that, every
 * 2 s, until it succeeds or the client closes: a client cut off from every node for a while gets
 * its subscriptions back (ioredis and node-redis resubscribe after a reconnect however late).
 */
const RESUBSCRIBE_ATTEMPTS = 10;

/** The pause before restore attempt `attempt + 1`. */
function resubscribeDelay(attempt: number): number {
  return Math.min(100 * 2 ** attempt, 2_000);
}

/** Whether `cmd` is a (un)subscribe command this module routes. */
export function isSubscribeCommand(cmd: Command): boolean {
  const name = cmd.args[0];
  return typeof name === 'string' && (PINNED.has(name) || SHARDED.has(name));
}

/**
 * Routes the client's (un)subscribe commands over a router. SUBSCRIBE/PSUBSCRIBE (and their
 * UNSUBSCRIBEs) go to one pinned node (the first master of `scanTargets()`, picked again only if
 * it stops answering while subscriptions are restored, then another master than the one that
 * failed: the topology lists a dead master until its replica is promoted; messages are
 * broadcast to every node of a cluster), so an UNSUBSCRIBE reaches the node holding the
 * subscription; routers without `scanTargets` (sentinel, custom) get them as plain commands.
 * SSUBSCRIBE/SUNSUBSCRIBE mark their channels as keys, split per slot, so the router sends each
 * group to the shard that owns it. Pushes come back through the `onPush` of the node connections.
 *
 * A shard channel the server unsubscribes on its own (its slot moved to another shard, or its
 * master was demoted by a failover: a `sunsubscribe` push for a channel still wanted) is
 * subscribed again, on the shard that owns it now, retrying with backoff.
 */
export class RouterPubSub {
  readonly #router: Router;
  readonly #onError: (err: Error) => void;
  #node: Promise<ScanTarget | undefined> | undefined;
  /** The pinned node that last failed a restore (`label`): not picked again while others are listed. */
  #failed: string | undefined;
  /** Shard channels subscribed and not unsubscribed by the client. */
  readonly #shards = new Set<string>();
  /** Channels and patterns subscribed on the pinned node, by subscribe command. */
  readonly #pinnedNames = { SUBSCRIBE: new Set<string>(), PSUBSCRIBE: new Set<string>() };
  #restoring: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  /** Shard channels waiting to be subscribed again (batched over one tick). */
  readonly #lost = new Set<string>();
  #closed = false;

  constructor(router: Router, onError: (err: Error) => void) {
    this.#router = router;
    this.#onError = onError;
  }

  /** Stops resubscribing. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#restoring);
  }

  /**
   * A connection to a data node closed (a link dropped, a failover retired the old master):
   * every subscription is sent again shortly. The same subscription sent again on a connection
   * that still has it changes nothing; a pinned node that no longer answers is replaced.
   */
  connectionLost(): void {
    if (this.#closed || this.#restoring !== undefined) return;
    if (this.#running) {
      // A restore is on its way: one more round after it, for what this loss took.
      this.#again = true;
      return;
    }
    const count = this.#shards.size + this.#pinnedNames.SUBSCRIBE.size + this.#pinnedNames.PSUBSCRIBE.size;
    if (count === 0) return;
    this.#restoring = setTimeout(() => this.#restoreAll(1), 50);
    this.#restoring.unref();
  }

  #restoreAll(attempt: number): void {
    this.#restoring = undefined;
    if (this.#closed) return;
    const sends: Promise<unknown>[] = [];
    for (const name of ['SUBSCRIBE', 'PSUBSCRIBE'] as const) {
      const names = [...this.#pinnedNames[name]];
      if (names.length === 0) continue;
      const undo = name === 'SUBSCRIBE' ? 'UNSUBSCRIBE' : 'PUNSUBSCRIBE';
      sends.push(
        this.#sendPinned({ args: [name, ...names] }, undefined, true).then(() => {
          const gone = names.filter((n) => !this.#pinnedNames[name].has(n));
          if (gone.length > 0) this.#sendPinned({ args: [undo, ...gone] }, undefined, false).catch(() => {});
        }),
      );
    }
    const shards = [...this.#shards];
    if (shards.length > 0) sends.push(this.#sendShards(shards));
    this.#running = true;
    this.#again = false;
    Promise.all(sends).then(
      () => {
        this.#running = false;
        if (this.#again) this.connectionLost();
      },
      (err: unknown) => {
        this.#running = false;
        if (this.#closed) return;
        if (attempt === RESUBSCRIBE_ATTEMPTS)
          this.#onError(err instanceof Error ? err : new Error(String(err)));
        this.#restoring = setTimeout(() => this.#restoreAll(attempt + 1), resubscribeDelay(attempt));
        this.#restoring.unref();
      },
    );
  }

  /** Sees every push of every node: a `sunsubscribe` the client did not ask for is a lost channel. */
  onPush(push: unknown[]): void {
    if (this.#shards.size === 0 || push.length < 2) return;
    const kind = push[0];
    if (kind !== 'sunsubscribe' && !(Buffer.isBuffer(kind) && kind.toString() === 'sunsubscribe')) return;
    const channel = push[1];
    const name = Buffer.isBuffer(channel) ? channel.toString() : String(channel);
    if (!this.#shards.has(name) || this.#closed) return;
    if (this.#lost.size === 0) setImmediate(() => this.#resubscribe(1));
    this.#lost.add(name);
  }

  send(cmd: Command, signal: AbortSignal | undefined): Promise<unknown> {
    const name = cmd.args[0] as string;
    const options = signal === undefined ? undefined : { signal };
    if (name === 'SUNSUBSCRIBE') {
      // Forgotten first: the confirmations that follow are not losses.
      for (const channel of cmd.args.slice(1)) this.#shards.delete(String(channel));
    } else if (name === 'SSUBSCRIBE') {
      return this.#sharded(cmd, name, options).then((reply) => {
        for (const channel of cmd.args.slice(1)) this.#shards.add(String(channel));
        return reply;
      });
    }
    if (SHARDED.has(name)) return this.#sharded(cmd, name, options);
    const names = cmd.args.slice(1).map(String);
    if (name === 'UNSUBSCRIBE' || name === 'PUNSUBSCRIBE') {
      const set = this.#pinnedNames[name === 'UNSUBSCRIBE' ? 'SUBSCRIBE' : 'PSUBSCRIBE'];
      for (const n of names) set.delete(n);
      return this.#sendPinned(cmd, options, false);
    }
    return this.#sendPinned(cmd, options, false).then((reply) => {
      for (const n of names) this.#pinnedNames[name as 'SUBSCRIBE' | 'PSUBSCRIBE'].add(n);
      return reply;
    });
  }

  /** To the pinned node; `repin`: a node that fails is forgotten, so the next try picks another. */
  async #sendPinned(
    cmd: Command,
    options: { signal: AbortSignal } | undefined,
    repin: boolean,
  ): Promise<unknown> {
    const pinned = this.#pinned();
    const node = await pinned;
    try {
      return node === undefined ? await this.#router.dispatch(cmd, options) : await node.send(cmd, options);
    } catch (err) {
      if (repin && this.#node === pinned) {
        this.#node = undefined;
        this.#failed = node?.label;
      }
      throw err;
    }
  }

  async #sharded(cmd: Command, name: string, options: { signal: AbortSignal } | undefined): Promise<unknown> {
    const groups = new Map<number, CommandArg[]>();
    for (const channel of cmd.args.slice(1)) {
      const slot = keySlot(channel);
      const group = groups.get(slot);
      if (group === undefined) groups.set(slot, [channel]);
      else group.push(channel);
    }
    const replies = await Promise.all(
      [...groups.values()].map((channels) =>
        this.#router.dispatch(
          { ...cmd, args: [name, ...channels], keyIndexes: channels.map((_, i) => i + 1) },
          options,
        ),
      ),
    );
    return replies[replies.length - 1];
  }

  /** Subscribes the lost shard channels again (the router follows MOVED to their new owner). */
  #resubscribe(attempt: number): void {
    const names = [...this.#lost].filter((name) => this.#shards.has(name));
    this.#lost.clear();
    if (names.length === 0 || this.#closed) return;
    this.#sendShards(names).then(undefined, (err: unknown) => {
      if (this.#closed) return;
      for (const name of names) this.#lost.add(name);
      if (attempt === RESUBSCRIBE_ATTEMPTS)
        this.#onError(err instanceof Error ? err : new Error(String(err)));
      setTimeout(() => this.#resubscribe(attempt + 1), resubscribeDelay(attempt)).unref();
    });
  }

  /**
   * SSUBSCRIBE for a restore; a channel the client unsubscribed while it was on its way (a
   * router may hold it through retries) is unsubscribed again, so none is left behind.
   */
  async #sendShards(names: readonly string[]): Promise<void> {
    await this.#sharded({ args: ['SSUBSCRIBE', ...names] }, 'SSUBSCRIBE', undefined);
    const gone = names.filter((name) => !this.#shards.has(name));
    if (gone.length > 0)
      this.#sharded({ args: ['SUNSUBSCRIBE', ...gone] }, 'SUNSUBSCRIBE', undefined).catch(() => {});
  }

  #pinned(): Promise<ScanTarget | undefined> {
    const scanTargets = this.#router.scanTargets;
    if (scanTargets === undefined) return Promise.resolve(undefined);
    if (this.#node === undefined) {
      const failed = this.#failed;
      const node = scanTargets
        .call(this.#router)
        .then((targets) => targets.find((target) => target.label !== failed) ?? targets[0]);
      this.#node = node;
      // A failed discovery is not a choice: the next subscribe asks again.
      node.catch(() => {
        if (this.#node === node) this.#node = undefined;
      });
    }
    return this.#node;
  }
}
