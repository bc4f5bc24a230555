import type { CommandTable } from '../command-spec.js';
import { withArgumentChecks } from '../internal/option-checks.js';
import { bitmapCommands } from './bitmap.js';
import { keyCommands } from './generic.js';
import { geoCommands } from './geo.js';
import { hashCommands } from './hash.js';
import { hyperLogLogCommands } from './hyperloglog.js';
import { listCommands } from './list.js';
import { pubSubCommands } from './pubsub.js';
import { scriptingCommands } from './scripting.js';
import { serverCommands } from './server.js';
import { setCommands } from './set.js';
import { sortedSetCommands } from './sorted-set.js';
import { streamCommands } from './stream.js';
import { stringCommands } from './string.js';
import { vectorSetCommands } from './vector-set.js';

/** Every typed command, keyed by method name. The client, pipelines and transactions share it. */
export const COMMANDS = withArgumentChecks({
  ...stringCommands,
  ...keyCommands,
  ...hashCommands,
  ...listCommands,
  ...setCommands,
  ...sortedSetCommands,
  ...bitmapCommands,
  ...hyperLogLogCommands,
  ...geoCommands,
  ...streamCommands,
  ...pubSubCommands,
  ...scriptingCommands,
  ...serverCommands,
  ...vectorSetCommands,
} satisfies CommandTable);

/** The type of the command table. */
export type Commands = typeof COMMANDS;
