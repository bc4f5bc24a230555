/** The set command group. */
export const setCommands = {};
