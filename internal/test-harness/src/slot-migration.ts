import { setTimeout as sleep } from 'node:timers/promises';
import { serverCommand } from './server-command.js';

/**
 * Lists the keys a node holds in a slot (`CLUSTER GETKEYSINSLOT`): the caller's client reads the
 * array reply, which the harness's one-line reader does not.
 */
export type KeysInSlot = (port: number, slot: number) => Promise<readonly string[]>;

/**
 * Opens a slot's migration between two masters (by plaintext port): `to` imports, `from`
 * migrates. While it lasts, `from` answers ASK for keys it no longer holds.
 */
export async function beginSlotMigration(slot: number, from: number, to: number): Promise<void> {
  const fromId = await serverCommand(from, 'CLUSTER', 'MYID');
  const toId = await serverCommand(to, 'CLUSTER', 'MYID');
  await serverCommand(to, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', fromId);
  await serverCommand(from, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', toId);
}

/** Ends an open migration with nothing moved: both masters back to `STABLE`. */
export async function cancelSlotMigration(slot: number, from: number, to: number): Promise<void> {
  await serverCommand(from, 'CLUSTER', 'SETSLOT', slot, 'STABLE');
  await serverCommand(to, 'CLUSTER', 'SETSLOT', slot, 'STABLE');
}

/** How a migration moves its keys: `batch` keys per `MIGRATE`, `pauseMs` after each. */
export interface MigrationPace {
  /** @default all of them */
  readonly batch?: number;
  /** Keeps the ASK window open longer. @default 0 */
  readonly pauseMs?: number;
}

/**
 * Finishes an open migration: every key of the slot still on `from` goes to `to` (`MIGRATE`,
 * at `pace`), then `to`, `from` and each of `masters` (plaintext ports) learn that `to` owns it.
 */
export async function finishSlotMigration(
  slot: number,
  from: number,
  to: number,
  masters: readonly number[],
  keysIn: KeysInSlot,
  pace: MigrationPace = {},
): Promise<void> {
  for (;;) {
    const keys = (await keysIn(from, slot)).slice(0, pace.batch);
    if (keys.length === 0) break;
    await serverCommand(from, 'MIGRATE', '127.0.0.1', to, '', 0, 5_000, 'KEYS', ...keys);
    if (pace.pauseMs !== undefined) await sleep(pace.pauseMs);
  }
  const toId = await serverCommand(to, 'CLUSTER', 'MYID');
  await serverCommand(to, 'CLUSTER', 'SETSLOT', slot, 'NODE', toId);
  await serverCommand(from, 'CLUSTER', 'SETSLOT', slot, 'NODE', toId);
  for (const port of masters) {
    if (port !== from && port !== to) await serverCommand(port, 'CLUSTER', 'SETSLOT', slot, 'NODE', toId);
  }
}

/** Moves a slot, keys and all, from one master to another: a whole resharding step. */
export async function moveSlot(
  slot: number,
  from: number,
  to: number,
  masters: readonly number[],
  keysIn: KeysInSlot,
  pace?: MigrationPace,
): Promise<void> {
  await beginSlotMigration(slot, from, to);
  await finishSlotMigration(slot, from, to, masters, keysIn, pace);
}

/**
 * The plaintext port of the master serving `key`, among `masters`: the one that answers a probe
 * of it (`EXISTS`) where the others answer MOVED (outside a migration of its slot).
 */
export async function masterServing(key: string, masters: readonly number[]): Promise<number> {
  for (const port of masters) {
    const serves = await serverCommand(port, 'EXISTS', key).then(
      () => true,
      () => false,
    );
    if (serves) return port;
  }
  throw new Error(`no master serves ${key}`);
}
