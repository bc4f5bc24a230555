import { type CommandArg, InvalidArgumentError } from '@fusedis/resp';

/** One command as ioredis's array form writes it: the name, then its arguments as sent. */
export type RawCommand = readonly [name: string, ...args: CommandArg[]];

/** `pipeline(commands)` / `multi(commands)` rather than `pipeline(options)`. */
export function isCommandList(value: unknown): value is readonly RawCommand[] {
  return Array.isArray(value);
}

/**
 * Queues each `[name, ...args]` with `call()` (ioredis's `pipeline([...])` form): arguments as
 * given, keys prefixed as `call()` does, replies raw; a name made with `defineCommand` queues its
 * script. Throws `InvalidArgumentError`, naming the entry, for one that is not an array starting
 * with a command name; nothing is queued then.
 */
export function queueCommandList<Q extends { call(name: string, ...args: CommandArg[]): unknown }>(
  queue: Q,
  commands: readonly RawCommand[],
): Q {
  commands.forEach((entry: unknown, index) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '')
      throw new InvalidArgumentError(`command ${index} of the list is not [name, ...args]`);
  });
  for (const [name, ...args] of commands) {
    // Own methods of a queue are the client's defined commands (installed per pipeline).
    const defined: unknown = Object.hasOwn(queue, name)
      ? (queue as Record<string, unknown>)[name]
      : undefined;
    if (typeof defined === 'function') defined.apply(queue, args);
    else queue.call(name, ...args);
  }
  return queue;
}
