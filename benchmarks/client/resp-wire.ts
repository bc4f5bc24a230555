/**
 * A tiny RESP2 command encoder for the runner's seeding and the raw-socket ceiling's pre-encoded
 * buffers. Both run before any timing, so it is our own (not @fusedis/resp): the ceiling and the
 * seeds then work even while fusedis does not build.
 */

/** Encodes commands of string arguments as one buffer of RESP arrays of bulk strings. */
export function encodeCommands(commands: readonly (readonly string[])[]): Buffer {
  const parts: string[] = [];
  for (const args of commands) {
    parts.push(`*${args.length}\r\n`);
    for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  }
  return Buffer.from(parts.join(''));
}
