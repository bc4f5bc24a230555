/** The bitmap command group. */
export const bitmapCommands = {};
