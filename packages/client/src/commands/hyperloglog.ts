import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { type ArgList, argListLength, keyPositions, keyRun, singleKey, withArgList } from './arguments.js';
import { toBoolean } from './replies.js';

/** HyperLogLog: https://redis.io/docs/latest/commands/?group=hyperloglog (PFDEBUG/PFSELFTEST left out). */
export const hyperLogLogCommands = {
  /** PFADD key [element …] → true when an internal register changed (the estimate may have). */
  pfadd: defineCommand<[key: CommandArg, ...elements: ArgList], boolean>({
    build: (key, ...elements) => singleKey(withArgList(['PFADD', key], elements, argListLength(elements))),
    transform: toBoolean,
  }),
  /** PFCOUNT key [key …] → the estimated number of distinct elements (of the union for several keys). */
  pfcount: defineCommand<ArgList, number>({
    build: (...keys) => {
      const count = argListLength(keys);
      return { args: withArgList(['PFCOUNT'], keys, count), keyIndexes: keyRun(1, count), readOnly: true };
    },
  }),
  /** PFMERGE destination [source …] → 'OK'. */
  pfmerge: defineCommand<[destination: CommandArg, ...sources: ArgList], 'OK'>({
    build: (destination, ...sources) => {
      const count = argListLength(sources);
      return {
        args: withArgList(['PFMERGE', destination], sources, count),
        keyIndexes: keyPositions(1, count + 1),
      };
    },
  }),
};
