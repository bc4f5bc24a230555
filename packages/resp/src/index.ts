export type { Command } from './command.js';
export type { CommandArg } from './command-arg.js';
export { DEFAULT_DECODE_OPTIONS, resolveDecodeOptions } from './decode-options.js';
export { checkChunk, checkReplySink } from './decoder-arguments.js';
export type {
  DecodeOptions,
  DecodeOptionsInput,
  DecoderFactory,
  ReplyDecoder,
  ReplyMode,
  ReplySink,
  StringMode,
} from './decoder-contract.js';
export { checkPipeline, encodeCommand, encodePipeline } from './encode.js';
export { frameLength } from './frame-length.js';
export { brandErrorClass, FusedisError } from './fusedis-error.js';
export { asciiText, utf8Text } from './internal/string-from-bytes.js';
export { InvalidArgumentError } from './invalid-argument-error.js';
export { createJsDecoder } from './js-decoder.js';
export { DEFAULT_LIMITS, type RespLimits, resolveLimits } from './limits.js';
export { ReplyError, replyErrorCode } from './reply-error.js';
export { RespProtocolError, type RespProtocolErrorReason } from './resp-protocol-error.js';
