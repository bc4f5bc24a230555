import { type Command, type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { keySlot } from './key-slot.js';

/**
 * How the cluster router treats commands that do not simply go to the owner of one slot: keyless
 * commands that must run on every master (and how their replies combine), and multi-key commands
 * that it splits per slot and reassembles, so users never see CROSSSLOT for them.
 */

/** How the replies of a command sent to every master combine into one. */
export type FanOutReduce = 'sum' | 'concat' | 'first' | 'all-ok' | 'and';

const FAN_OUT: ReadonlyMap<string, FanOutReduce> = new Map([
  ['DBSIZE', 'sum'],
  ['KEYS', 'concat'],
  ['FLUSHALL', 'all-ok'],
  ['FLUSHDB', 'all-ok'],
  ['SCRIPT LOAD', 'first'],
  ['SCRIPT FLUSH', 'all-ok'],
  ['SCRIPT EXISTS', 'and'],
  ['FUNCTION LOAD', 'first'],
  ['FUNCTION DELETE', 'all-ok'],
  ['FUNCTION FLUSH', 'all-ok'],
  ['FUNCTION RESTORE', 'all-ok'],
  ['CONFIG SET', 'all-ok'],
  ['CONFIG RESETSTAT', 'all-ok'],
]);

/** The upper-case command name, with the subcommand for container commands (`SCRIPT LOAD`). */
export function commandName(args: readonly CommandArg[]): string {
  const name = String(args[0]).toUpperCase();
  if (args.length > 1 && CONTAINERS.has(name)) return `${name} ${String(args[1]).toUpperCase()}`;
  return name;
}
const CONTAINERS = new Set([
  'SCRIPT',
  'FUNCTION',
  'CONFIG',
  'CLIENT',
  'CLUSTER',
  'OBJECT',
  'MEMORY',
  'XINFO',
  'XGROUP',
]);

/** For a keyless command: how to combine it over every master, or undefined to send it to one node. */
export function fanOutReduce(args: readonly CommandArg[]): FanOutReduce | undefined {
  return FAN_OUT.get(commandName(args));
}

/**
 * SCAN sent as a keyless command, refused: a cluster keeps one cursor per master, and a keyless
 * command goes to any master, so the next step's cursor would reach another master, which ends
 * the scan early with no error (ioredis's cluster does just that). Undefined for any other command.
 */
export function clusterScanRefusal(cmd: Command): InvalidArgumentError | undefined {
  if (commandName(cmd.args) !== 'SCAN') return undefined;
  return new InvalidArgumentError(
    'SCAN: a cluster keeps one cursor per master, and this command would go to any master (a scan ' +
      "that ends early, without an error); scan every master: the client's scanIterator() or " +
      "scanStream() do, or scan each of nodes('master') (ClusterRouter.scanTargets())",
  );
}

/** WAIT or WAITAOF: they count the writes of the connection they run on. */
export function isWait(cmd: Command): boolean {
  const name = commandName(cmd.args);
  return name === 'WAIT' || name === 'WAITAOF';
}

/**
 * A WAIT (or WAITAOF) with no write before it to follow, refused: it counts the writes of the
 * connection it runs on, and sent alone a keyless command goes to any master, so it would report
 * on another master's writes (ioredis's cluster does just that).
 */
export function waitRefusal(cmd: Command): InvalidArgumentError {
  return new InvalidArgumentError(
    `${commandName(cmd.args)}: on a cluster it must follow the writes it waits for in one pipeline ` +
      '(pipeline().set(k, v).wait(1, 100)), where it goes to the master of the write before it; ' +
      "sent alone it would go to any master and count another master's writes",
  );
}

/** Combines the per-master replies of a fanned-out command (ReplyErrors are thrown before this). */
export function reduceReplies(reduce: FanOutReduce, replies: readonly unknown[]): unknown {
  switch (reduce) {
    case 'sum':
      return replies.reduce<number>((total, reply) => total + Number(reply), 0);
    case 'concat':
      return replies.flatMap((reply) => (Array.isArray(reply) ? reply : [reply]));
    case 'first':
      return replies[0];
    case 'all-ok':
      return 'OK';
    case 'and': {
      const first = replies[0];
      if (!Array.isArray(first)) return first;
      return first.map((_, i) =>
        replies.every((reply) => Array.isArray(reply) && Number(reply[i]) === 1) ? 1 : 0,
      );
    }
  }
}

/** A multi-key command the router splits per slot: where its keys are and how replies recombine. */
interface SplitRule {
  /** Arguments per key: 1 for `MGET k…`, 2 for `MSET k v …`. */
  readonly stride: number;
  readonly reduce: 'ordered' | 'sum' | 'ok';
}

const SPLIT: ReadonlyMap<string, SplitRule> = new Map([
  ['MGET', { stride: 1, reduce: 'ordered' }],
  ['MSET', { stride: 2, reduce: 'ok' }],
  ['DEL', { stride: 1, reduce: 'sum' }],
  ['UNLINK', { stride: 1, reduce: 'sum' }],
  ['EXISTS', { stride: 1, reduce: 'sum' }],
  ['TOUCH', { stride: 1, reduce: 'sum' }],
]);

/** One per-slot piece of a split command, and where its keys were in the original. */
export interface CommandPart {
  readonly slot: number;
  readonly command: Command;
  /** For each key of this part, its index among the original command's keys. */
  readonly keyOrder: readonly number[];
}

/** A multi-key command cut into per-slot parts, with the rule that puts the replies back together. */
export interface SplitCommand {
  readonly parts: readonly CommandPart[];
  /** Total keys in the original command. */
  readonly keyCount: number;
  readonly reduce: 'ordered' | 'sum' | 'ok';
}

/**
 * Splits MGET, MSET, DEL, UNLINK, EXISTS and TOUCH whose keys span several slots into one command
 * per slot. Returns undefined when the command is not one of those, or when all keys share a slot
 * (then it goes out unchanged).
 */
export function splitBySlot(cmd: Command): SplitCommand | undefined {
  const name = String(cmd.args[0]).toUpperCase();
  const rule = SPLIT.get(name);
  if (rule === undefined) return undefined;
  const keyCount = Math.floor((cmd.args.length - 1) / rule.stride);
  if (keyCount < 2) return undefined;
  const bySlot = new Map<number, { args: CommandArg[]; keyOrder: number[] }>();
  for (let k = 0; k < keyCount; k++) {
    const at = 1 + k * rule.stride;
    const slot = keySlot(cmd.args[at] as CommandArg);
    let part = bySlot.get(slot);
    if (part === undefined) {
      part = { args: [cmd.args[0] as CommandArg], keyOrder: [] };
      bySlot.set(slot, part);
    }
    for (let j = 0; j < rule.stride; j++) part.args.push(cmd.args[at + j] as CommandArg);
    part.keyOrder.push(k);
  }
  if (bySlot.size < 2) return undefined;
  const parts: CommandPart[] = [];
  for (const [slot, part] of bySlot) {
    const keyIndexes = part.keyOrder.map((_, i) => 1 + i * rule.stride);
    const command: Command =
      cmd.stringMode === undefined
        ? { args: part.args, keyIndexes, readOnly: name === 'MGET' || name === 'EXISTS' }
        : {
            args: part.args,
            keyIndexes,
            readOnly: name === 'MGET' || name === 'EXISTS',
            stringMode: cmd.stringMode,
          };
    parts.push({ slot, command, keyOrder: part.keyOrder });
  }
  return { parts, keyCount, reduce: rule.reduce };
}

/** Puts the replies of a split command's parts (same order as `parts`) back into one reply. */
export function joinParts(split: SplitCommand, replies: readonly unknown[]): unknown {
  if (split.reduce === 'ok') return 'OK';
  if (split.reduce === 'sum') return replies.reduce<number>((total, reply) => total + Number(reply), 0);
  const values = new Array<unknown>(split.keyCount);
  split.parts.forEach((part, p) => {
    const reply = replies[p] as readonly unknown[];
    part.keyOrder.forEach((original, i) => {
      values[original] = reply[i];
    });
  });
  return values;
}

/**
 * The one slot all of a command's keys hash to, `-1` for a keyless command, or `-2` when the keys
 * span slots (the router refuses it with a clear error unless it can split it).
 *
 * `PUBLISH` has no key, but goes by its channel's slot: any node takes it and the cluster bus
 * spreads it, yet two messages sent through two nodes can reach a subscriber in either order, so
 * a channel's messages from one client all go through one node and keep their order.
 */
export function commandSlot(cmd: Command): number {
  const indexes = cmd.keyIndexes;
  if (indexes === undefined || indexes.length === 0)
    return isPublish(cmd) ? keySlot(cmd.args[1] as CommandArg) : -1;
  const first = keySlot(cmd.args[indexes[0] as number] as CommandArg);
  for (let i = 1; i < indexes.length; i++) {
    if (keySlot(cmd.args[indexes[i] as number] as CommandArg) !== first) return -2;
  }
  return first;
}

function isPublish(cmd: Command): boolean {
  const name = cmd.args[0];
  return (
    cmd.args.length === 3 &&
    typeof name === 'string' &&
    (name === 'PUBLISH' || name.toUpperCase() === 'PUBLISH')
  );
}
