import type { Command, CommandArg, StringMode } from '@fusedis/resp';
import type { DedicatedWork } from '@fusedis/router';
import type { CallOptions, ClientCore } from './client-core.js';
import type { Dispatcher } from './dispatcher.js';
import { prefixCommand } from './key-prefix.js';

/** What a {@link ClientCore} is made of: the client's dispatcher and settings, and a view's overrides. */
export interface CoreParts {
  readonly dispatch: Dispatcher;
  /** The client's string mode (`returnBuffers`). */
  readonly stringMode: StringMode;
  /** The client's `replayIdempotent`. */
  readonly replayIdempotent: boolean;
  readonly prefix: string;
  readonly prefixBytes: Buffer;
  /** A view's string mode, timeout and signal, applied to calls that do not set their own. */
  readonly mode: StringMode | undefined;
  readonly timeout: number | undefined;
  readonly signal: AbortSignal | undefined;
}

/** The seam the features (pipelines, transactions, pub/sub, scripts, scans) are built on. */
export function makeClientCore(parts: CoreParts): ClientCore {
  const { dispatch, prefix, prefixBytes, mode: viewMode, timeout: viewTimeout, signal: viewSignal } = parts;
  const withCall = (cmd: Command, options: CallOptions | undefined): Command => {
    const mode = options?.stringMode ?? viewMode;
    const timeout = options?.timeout ?? viewTimeout;
    if (mode === undefined && timeout === undefined) return cmd;
    const copy: { -readonly [K in keyof Command]: Command[K] } = { ...cmd };
    if (mode !== undefined) copy.stringMode = mode;
    if (timeout !== undefined) copy.timeout = timeout;
    return copy;
  };
  return {
    get protocol() {
      return dispatch.protocol;
    },
    stringMode: viewMode ?? parts.stringMode,
    replayIdempotent: parts.replayIdempotent,
    get followsSlots() {
      return dispatch.followsSlots;
    },
    prefix: (cmd) =>
      prefix !== '' && cmd.keyIndexes !== undefined ? prefixCommand(cmd, prefix, prefixBytes) : cmd,
    send: (cmd, options) => {
      const own = withCall(cmd, options);
      const signal = options?.signal ?? viewSignal;
      return own.blocking === true ? dispatch.dispatchBlocking(own, signal) : dispatch.dispatch(own, signal);
    },
    sendMany: (cmds, options) => {
      const signal = options?.signal ?? viewSignal;
      // Nothing to apply (the usual case): the batch goes as it is, not copied.
      if ((options?.stringMode ?? viewMode) === undefined && (options?.timeout ?? viewTimeout) === undefined)
        return dispatch.dispatchMany(cmds, signal);
      return dispatch.dispatchMany(
        cmds.map((c) => withCall(c, options)),
        signal,
      );
    },
    batchMaySplit: () => dispatch.batchMaySplit(),
    withDedicated: <R>(fn: DedicatedWork<R>, signal?: AbortSignal, keys?: readonly CommandArg[]) =>
      dispatch.withDedicated(fn, signal ?? viewSignal, keys),
    transaction: (cmds: readonly Command[], signal?: AbortSignal, keys?: readonly CommandArg[]) =>
      dispatch.transaction(cmds, signal ?? viewSignal, keys),
    scanTargets: async () => {
      const targets = await dispatch.scanTargets?.();
      return targets?.map((target) => ({
        label: target.label,
        send: (cmd: Command, options?: CallOptions) => {
          const signal = options?.signal ?? viewSignal;
          return target.send(withCall(cmd, options), signal === undefined ? undefined : { signal });
        },
      }));
    },
    openConnection: (onPush, signal) => dispatch.openConnection(onPush, signal ?? viewSignal),
    onPush: (listener) => dispatch.listeners.onPush(listener),
    onReady: (listener) => dispatch.listeners.onReady(listener),
  };
}
