/** The stream command group. */
export const streamCommands = {};
