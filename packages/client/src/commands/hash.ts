/** The hash command group. */
export const hashCommands = {};
