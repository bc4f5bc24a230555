/** The sorted-set command group. */
export const sortedSetCommands = {};
