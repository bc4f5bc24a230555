/** The generic command group. */
export const keyCommands = {};
