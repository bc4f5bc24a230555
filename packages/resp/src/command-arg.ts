/** One argument of a command as the encoder takes it. Numbers and bigints are sent as their decimal text. */
export type CommandArg = string | number | bigint | Uint8Array;
