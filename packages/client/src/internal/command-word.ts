import type { CommandArg } from '@fusedis/resp';

/** Longest argument read as a word: command names and tokens are short. */
const MAX_WORD_BYTES = 32;

/**
 * An argument as an upper-case word, for telling commands and tokens apart: a string, or a short
 * byte array (`sendCommand([Buffer.from('BLPOP'), …])` names a command as bytes); '' otherwise.
 */
export function upperWord(arg: CommandArg | undefined): string {
  if (typeof arg === 'string') return arg.toUpperCase();
  if (arg instanceof Uint8Array && arg.length <= MAX_WORD_BYTES)
    return Buffer.from(arg.buffer, arg.byteOffset, arg.length).toString('latin1').toUpperCase();
  return '';
}
