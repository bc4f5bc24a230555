/** The pubsub command group. */
export const pubSubCommands = {};
