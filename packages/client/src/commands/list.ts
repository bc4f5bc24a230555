/** The list command group. */
export const listCommands = {};
