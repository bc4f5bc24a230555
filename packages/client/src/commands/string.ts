import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { singleKey, singleKeyRead } from './arguments.js';

/** Strings: https://redis.io/docs/latest/commands/?group=string */
export const stringCommands = {
  /** GET key → the value, or null when the key is missing. */
  get: defineCommand<[key: CommandArg], string | null>({
    build: (key) => singleKeyRead(['GET', key]),
  }),
  /** SET key value → 'OK'. (The options object — EX/PX/NX/XX/GET/KEEPTTL — is still to come.) */
  set: defineCommand<[key: CommandArg, value: CommandArg], 'OK' | null>({
    build: (key, value) => singleKey(['SET', key, value]),
  }),
};
