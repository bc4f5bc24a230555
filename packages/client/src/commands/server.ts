/** The server command group. */
export const serverCommands = {};
