import type { CallArgument } from './call-keys.js';

/**
 * ioredis's container commands, a method each taking the subcommand first:
 * `redis.config('GET', 'maxmemory')`, `redis.client('SETNAME', 'worker')`, `redis.object('ENCODING',
 * key)`. Each is `call(NAME, subcommand, …args)`: the reply untouched, as ioredis gives it; key
 * positions (`OBJECT ENCODING key`, `MEMORY USAGE key`, `XINFO STREAM key`) take the key prefix and
 * route a cluster call, as `call()` does. The typed methods (`configGet`, `objectEncoding`…) shape
 * their replies; these keep ioredis code running as written.
 */
export const CONTAINER_COMMANDS = [
  'acl',
  'client',
  'cluster',
  'command',
  'config',
  'debug',
  'function',
  'latency',
  'memory',
  'module',
  'object',
  'pubsub',
  'script',
  'slowlog',
  'xgroup',
  'xinfo',
] as const;

/** One of {@link CONTAINER_COMMANDS}. */
export type ContainerCommandName = (typeof CONTAINER_COMMANDS)[number];

/** The container methods of a client, pipeline, transaction or watch scope, each returning `R`. */
export type ContainerMethods<R> = {
  readonly [K in ContainerCommandName]: (subcommand: CallArgument, ...args: CallArgument[]) => R;
};

/** Anything with ioredis's `call(name, …args)`: where the container methods go. */
interface Calling {
  call(name: string, ...args: CallArgument[]): unknown;
}

/** Adds a method per container command to `prototype`, each forwarding to its `call`. */
export function installContainerMethods(prototype: Calling): void {
  for (const name of CONTAINER_COMMANDS) {
    const wire = name.toUpperCase();
    Object.defineProperty(prototype, name, {
      value: function container(this: Calling, ...args: CallArgument[]): unknown {
        return this.call(wire, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
}
