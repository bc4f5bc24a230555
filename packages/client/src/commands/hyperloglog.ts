/** The hyperloglog command group. */
export const hyperLogLogCommands = {};
