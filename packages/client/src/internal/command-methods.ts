import { type Command, ReplyError } from '@fusedis/resp';
import type { AnyCommandSpec, CommandTable, ReplyContext, SpecArgs, SpecReply } from '../command-spec.js';
import { COMMANDS, type Commands } from '../commands/index.js';
import { hasOwnMember, installMethod } from './built-methods.js';
import { RESERVED, type ReservedCommandName } from './client-methods.js';

/**
 * One method per `COMMANDS` entry, for the client itself: each resolves to the spec's reply.
 * A class that declares a method of the same name itself (e.g. `subscribe`, `quit`) should
 * `Omit` it here and declare its own (see {@link installCommandMethods}, which skips it too).
 *
 * ```ts
 * interface Client extends Omit<ClientCommandMethods, 'subscribe' | 'quit'> {}
 * class Client { … }
 * installCommandMethods(Client.prototype, function (name, spec, args) { return this.#run(spec, args) });
 * ```
 */
export type ClientCommandMethods = {
  readonly [K in keyof Commands]: (...args: SpecArgs<Commands[K]>) => Promise<SpecReply<Commands[K]>>;
};

/**
 * One method per `COMMANDS` entry, for chains (pipelines, transactions): each queues the command
 * and returns `Self`, so calls chain (`p.set('a', '1').get('a')`).
 */
export type PipelineCommandMethods<Self> = {
  readonly [K in keyof Commands]: (...args: SpecArgs<Commands[K]>) => Self;
};

/** The method names the command table gives a class. */
export type CommandNames = keyof Commands & string;

/**
 * What an installed method calls: `this` is the instance the method was called on, `name` the
 * method name (the `COMMANDS` key), `spec` its command spec and `args` the call's arguments as
 * given. Whatever it returns is the method's return value.
 */
export type CommandInvoker<This> = (
  this: This,
  name: string,
  spec: AnyCommandSpec,
  args: readonly unknown[],
) => unknown;

/** Options of {@link installCommandMethods}. */
export interface InstallOptions {
  /** The command table to install. @default COMMANDS */
  readonly table?: CommandTable;
  /**
   * Names never installed (in addition to names the prototype chain already has, which are
   * always kept). @default none
   */
  readonly skip?: Iterable<string>;
}

/**
 * Puts one method per command-table entry on `prototype`, each calling `invoke` with the
 * method's `this`, name, spec and arguments. Methods are non-enumerable, like class methods.
 *
 * A name the prototype (or its chain, `Object.prototype` excepted) already has is left alone,
 * so a class's own `subscribe`, `exec` or `multi` wins over the table's command of that name.
 * Call it once per class, at module load, after the class body.
 *
 * Each method is a small closure over its spec (no lookup by name per call).
 */
export function installCommandMethods<This>(
  prototype: This & object,
  invoke: CommandInvoker<This>,
  options: InstallOptions = {},
): void {
  const table = (options.table ?? COMMANDS) as CommandTable;
  const skip = new Set(options.skip ?? []);
  for (const name of Object.keys(table)) {
    if (skip.has(name) || hasOwnMember(prototype, name)) continue;
    const spec = table[name] as AnyCommandSpec;
    installMethod(
      prototype,
      name,
      {
        // A named method (shows in stack traces as `Client.get`), not an arrow: `this` must bind.
        [name](this: This, ...args: unknown[]): unknown {
          return invoke.call(this, name, spec, args);
        },
      }[name] as (...args: unknown[]) => unknown,
    );
  }
}

/**
 * A command spec's reply after its transform (the raw reply when it has none). A `ReplyError`
 * is returned as is: transforms only ever see successful replies.
 */
export function applyTransform(spec: AnyCommandSpec, reply: unknown, context: ReplyContext): unknown {
  const transform = spec.transform as ((r: unknown, c: ReplyContext) => unknown) | undefined;
  if (transform === undefined || reply instanceof ReplyError) return reply;
  return transform(reply, context);
}

/** Calls the spec's `build` with the untyped arguments an installed method receives. */
export function buildCommand(spec: AnyCommandSpec, args: readonly unknown[]): Command {
  return (spec.build as (...a: readonly unknown[]) => Command)(...args);
}

/**
 * Command-table names that pipelines and transactions do not offer as chain methods: they would
 * break the batch (the transaction and subscribe families, connection state such as `select`),
 * or are the chain's own members.
 */
export type ChainReservedName = ReservedCommandName | 'call' | 'length' | 'runScript';

/** {@link ChainReservedName} as a value, for `installCommandMethods`'s `skip`. */
export const CHAIN_RESERVED: readonly ChainReservedName[] = [...RESERVED, 'call', 'length', 'runScript'];

/** The chain methods of pipelines and transactions: every command but the reserved names. */
export type ChainCommandMethods<Self> = Omit<PipelineCommandMethods<Self>, ChainReservedName>;
