import { brandErrorClass, FusedisError } from '@fusedis/resp';

/** A command was redirected (MOVED/ASK) or retried (TRYAGAIN, CLUSTERDOWN…) more times than allowed. */
export class RedirectionLimitError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.RedirectionLimitError');
  /** How many redirections and retries were made before giving up. */
  readonly attempts: number;
  /** The command may have executed: the last failure happened after it was written. */
  readonly written: boolean;

  constructor(attempts: number, options?: ErrorOptions) {
    super(`gave up after ${attempts} redirections or retries`, 'ERR_REDIRECTION_LIMIT', options);
    this.attempts = attempts;
    const cause = options?.cause;
    this.written =
      typeof cause === 'object' && cause !== null && 'written' in cause && cause.written === true;
  }
}
brandErrorClass(RedirectionLimitError, 'RedirectionLimitError');

/** The keys of a command that cannot be split hash to different slots (Redis would answer CROSSSLOT). */
export class CrossSlotError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.CrossSlotError');

  constructor(command: string, options?: ErrorOptions) {
    super(
      `the keys of ${command} hash to different slots; use a {hash tag} to keep them in one`,
      'ERR_CROSS_SLOT',
      options,
    );
  }
}
brandErrorClass(CrossSlotError, 'CrossSlotError');

/** No known node answered a topology query (seeds unreachable, or not a cluster; sentinels silent). */
export class TopologyDiscoveryError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.TopologyDiscoveryError');
  /**
   * Always false: a command that gets this error waited for a node to send it to (it was never
   * written), or its last answer was a redirection (MOVED, ASK), which a server sends instead of
   * running it. (An `idempotent` command is retried after a lost link even when written; its
   * repeat is harmless by definition.) The same field as `ConnectionClosedError`'s, so one check
   * serves every error a lost link can bring.
   */
  readonly written = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, 'ERR_TOPOLOGY_DISCOVERY', options);
  }
}
brandErrorClass(TopologyDiscoveryError, 'TopologyDiscoveryError');

/**
 * A dedicated connection's node answered READONLY: the master it was leased from has become a
 * replica (demoted behind the sentinels' back). The router has dropped it and finds the master
 * anew on the next call; what the node refused did not run. `cause` is what `fn` rejected with.
 */
export class MasterDemotedError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.MasterDemotedError');

  constructor(options?: ErrorOptions) {
    super(
      'the master became a replica (READONLY): it was dropped, the next call finds the new one',
      'ERR_MASTER_DEMOTED',
      options,
    );
  }
}
brandErrorClass(MasterDemotedError, 'MasterDemotedError');
