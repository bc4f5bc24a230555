import {
  createJsDecoder,
  type DecodeOptionsInput,
  type DecoderFactory,
  resolveDecodeOptions,
  type StringMode,
} from '@fusedis/resp';
import type { ConnectionOptions, UnsettledHook } from '../connection-options.js';
import { InvalidOptionError } from '../errors.js';
import { CONNECTION_OPTION_KEYS, checkOptionKeys } from '../option-keys.js';
import type { Transport } from '../transport.js';
import type { HandshakeSettings } from './handshake.js';
import { checkCount, checkMs } from './validate.js';

/** Connection options checked and with their defaults applied. The password is not kept here. */
export interface ConnectionSettings {
  readonly transport: Transport;
  readonly decoder: DecoderFactory;
  readonly decodeOptions: DecodeOptionsInput | undefined;
  readonly strings: StringMode;
  readonly pushStrings: StringMode;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
  readonly autoPipeline: boolean;
  readonly maxInFlight: number;
  readonly onPush: ((push: unknown[]) => void) | undefined;
  readonly onUnsettled: UnsettledHook | undefined;
  readonly handshake: Omit<HandshakeSettings, 'password'>;
}

const WHERE = 'Connection.open()';

/** Checks `options` (its keys too) up front; throws `InvalidOptionError` naming the first bad one. */
export function resolveConnectionSettings(options: ConnectionOptions): ConnectionSettings {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError(`${WHERE}: options are required`);
  checkOptionKeys(options, CONNECTION_OPTION_KEYS, WHERE);
  const transport = options.transport;
  if (typeof transport !== 'object' || transport === null || typeof transport.connect !== 'function') {
    throw new InvalidOptionError(`${WHERE}: transport must be a Transport (tcp(), tls(), unix(), duplex())`);
  }
  const decoder = options.decoder ?? createJsDecoder;
  if (typeof decoder !== 'function')
    throw new InvalidOptionError(`${WHERE}: decoder must be a DecoderFactory`);
  const protocol = options.protocol ?? 3;
  if (protocol !== 2 && protocol !== 3) throw new InvalidOptionError(`${WHERE}: protocol must be 2 or 3`);
  const db = checkCount(options.db ?? 0, WHERE, 'db', 0);
  for (const name of ['username', 'password', 'clientName', 'libName', 'libVersion'] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new InvalidOptionError(`${WHERE}: ${name} must be a string`);
    }
  }
  if (options.clientName !== undefined && /[\s]/.test(options.clientName)) {
    throw new InvalidOptionError(`${WHERE}: clientName cannot contain spaces`);
  }
  if (options.readyCheck !== undefined && typeof options.readyCheck !== 'boolean') {
    throw new InvalidOptionError(`${WHERE}: readyCheck must be a boolean`);
  }
  if (options.onPush !== undefined && typeof options.onPush !== 'function') {
    throw new InvalidOptionError(`${WHERE}: onPush must be a function`);
  }
  if (options.onUnsettled !== undefined && typeof options.onUnsettled !== 'function') {
    throw new InvalidOptionError(`${WHERE}: onUnsettled must be a function`);
  }
  let strings: StringMode;
  try {
    strings = resolveDecodeOptions(options.decodeOptions).strings;
  } catch (cause) {
    throw new InvalidOptionError(`${WHERE}: invalid decodeOptions`, { cause });
  }
  const pushStrings = options.pushStringMode ?? strings;
  if (pushStrings !== 'utf8' && pushStrings !== 'buffer') {
    throw new InvalidOptionError(`${WHERE}: pushStringMode must be 'utf8' or 'buffer'`);
  }
  return {
    transport,
    decoder,
    decodeOptions: options.decodeOptions,
    strings,
    pushStrings,
    connectTimeout: checkMs(options.connectTimeout ?? 10_000, WHERE, 'connectTimeout'),
    commandTimeout: checkMs(options.commandTimeout ?? 30_000, WHERE, 'commandTimeout'),
    autoPipeline: options.autoPipeline ?? true,
    maxInFlight: checkCount(options.maxInFlight ?? 0, WHERE, 'maxInFlight', 0),
    onPush: options.onPush,
    onUnsettled: options.onUnsettled,
    handshake: {
      protocol,
      username: options.username,
      db,
      clientName: options.clientName,
      libName: options.libName,
      libVersion: options.libVersion,
      readyCheck: options.readyCheck ?? true,
    },
  };
}
