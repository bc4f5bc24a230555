/** The geo command group. */
export const geoCommands = {};
