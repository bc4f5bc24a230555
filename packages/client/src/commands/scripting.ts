/** The scripting command group. */
export const scriptingCommands = {};
