import type { ReplySink } from '@fusedis/resp';

/**
 * One instance of each class here whose instances can all die between two bursts (a decoder per
 * connection, per benchmark run, a walker per graph), held for as long as the module is loaded:
 * V8 frees a hidden class once no object has it, and throws away the optimized code built on it
 * (`@fusedis/resp` README, "Hidden classes kept alive"). Written by the factories, which have the
 * binding; never fed.
 */
export const KEPT: { nativeDecoder?: unknown; autoDecoder?: unknown; graphWalker?: unknown } = {};

/** The sink of the kept decoders: they are never fed, so it is never called. */
export const IGNORING_SINK: ReplySink = {
  reply() {},
  push() {},
  error() {},
};
