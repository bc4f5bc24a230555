import { type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { requireFields } from './argument-shapes.js';

/** A vector: numbers (sent as `VALUES n …`) or a `Float32Array` (sent as one `FP32` blob). */
export type VectorInput = readonly number[] | Float32Array;

/** What `vsim` compares against: a vector, or an element already in the set (`ELE`). */
export type VectorQuery = VectorInput | { readonly element: CommandArg };

/** Options of `VADD`, in Redis's tokens. */
export interface VAddOptions {
  /** Random projection down to this many dimensions (`REDUCE`); only when the set is created. */
  readonly REDUCE?: number;
  /** Do the neighbour search in a background thread (`CAS`). */
  readonly CAS?: boolean;
  /** Quantization when the set is created: full floats, 8-bit (the server's default) or binary. */
  readonly NOQUANT?: boolean;
  readonly Q8?: boolean;
  readonly BIN?: boolean;
  /** Build exploration factor (`EF`). */
  readonly EF?: number;
  /** JSON attributes of the element (`SETATTR`): JSON text, or a value to `JSON.stringify`. */
  readonly SETATTR?: string | Readonly<Record<string, unknown>>;
  /** Links per node in the graph (`M`); only when the set is created. */
  readonly M?: number;
}

/** Options of `VSIM` (`WITHSCORES` / `WITHATTRIBS` come from the method), in Redis's tokens. */
export interface VSimOptions {
  /** At most this many results (`COUNT`, the server's default 10). */
  readonly COUNT?: number;
  /** Only results whose distance is at most this, 0 to 1 (`EPSILON`). */
  readonly EPSILON?: number;
  /** Search exploration factor (`EF`). */
  readonly EF?: number;
  /** A filter expression on the attributes, e.g. `'.year >= 1980'` (`FILTER`). */
  readonly FILTER?: string;
  /** How many candidates the filter may inspect (`FILTER-EF`). */
  readonly FILTER_EF?: number;
  /** An exact linear scan instead of the graph (`TRUTH`): slow, for testing recall. */
  readonly TRUTH?: boolean;
  /** Run in the main thread (`NOTHREAD`). */
  readonly NOTHREAD?: boolean;
}

/** `VADD key [REDUCE d] FP32 blob | VALUES n v… element [CAS] [NOQUANT|Q8|BIN] [EF n] [SETATTR a] [M n]`. */
export function vaddArgs(
  key: CommandArg,
  vector: VectorInput,
  element: CommandArg,
  options: VAddOptions | undefined,
): CommandArg[] {
  const args: CommandArg[] = ['VADD', key];
  if (options?.REDUCE !== undefined) args.push('REDUCE', wholeNumber(options.REDUCE, 'REDUCE'));
  pushVector(args, vector);
  args.push(element);
  if (options === undefined) return args;
  if (options.CAS) args.push('CAS');
  const quantization = (['NOQUANT', 'Q8', 'BIN'] as const).filter((q) => options[q] === true);
  if (quantization.length > 1) {
    throw new InvalidArgumentError(
      `VADD takes one of NOQUANT, Q8 and BIN, not ${quantization.join(' and ')}`,
    );
  }
  if (quantization[0] !== undefined) args.push(quantization[0]);
  if (options.EF !== undefined) args.push('EF', wholeNumber(options.EF, 'EF'));
  if (options.SETATTR !== undefined) args.push('SETATTR', attributesText(options.SETATTR));
  if (options.M !== undefined) args.push('M', wholeNumber(options.M, 'M'));
  return args;
}

/** `VSIM key ELE e | FP32 blob | VALUES n v… [WITHSCORES] [WITHATTRIBS] [COUNT n] …`. */
export function vsimArgs(
  key: CommandArg,
  query: VectorQuery,
  withScores: boolean,
  withAttributes: boolean,
  options: VSimOptions | undefined,
): CommandArg[] {
  const args: CommandArg[] = ['VSIM', key];
  if (isElementQuery(query)) {
    requireFields('vsim: a query (a vector, or { element })', query, ['element']);
    args.push('ELE', query.element);
  } else pushVector(args, query);
  if (withScores) args.push('WITHSCORES');
  if (withAttributes) args.push('WITHATTRIBS');
  if (options === undefined) return args;
  if (options.COUNT !== undefined) args.push('COUNT', wholeNumber(options.COUNT, 'COUNT'));
  if (options.EPSILON !== undefined) args.push('EPSILON', finite(options.EPSILON, 'EPSILON'));
  if (options.EF !== undefined) args.push('EF', wholeNumber(options.EF, 'EF'));
  if (options.FILTER !== undefined) args.push('FILTER', options.FILTER);
  if (options.FILTER_EF !== undefined) args.push('FILTER-EF', wholeNumber(options.FILTER_EF, 'FILTER_EF'));
  if (options.TRUTH) args.push('TRUTH');
  if (options.NOTHREAD) args.push('NOTHREAD');
  return args;
}

/** Attributes as `VSETATTR`/`SETATTR` take them: JSON text as given, anything else stringified. */
export function attributesText(attributes: string | Readonly<Record<string, unknown>>): string {
  if (typeof attributes === 'string') return attributes;
  const text = JSON.stringify(attributes);
  if (typeof text !== 'string')
    throw new InvalidArgumentError('vector attributes must be JSON text or a JSON object');
  return text;
}

function isElementQuery(query: VectorQuery): query is { readonly element: CommandArg } {
  return typeof query === 'object' && query !== null && !Array.isArray(query) && !ArrayBuffer.isView(query);
}

function pushVector(args: CommandArg[], vector: VectorInput): void {
  if (vector instanceof Uint8Array) {
    // Its bytes would be read as components: a vector of byte values, four times too long.
    throw new InvalidArgumentError(
      'a vector is a number[] or a Float32Array, not bytes; for little-endian FP32 bytes: ' +
        'new Float32Array(new Uint8Array(bytes).buffer)',
    );
  }
  if (vector.length === 0) throw new InvalidArgumentError('a vector needs at least one dimension');
  if (vector instanceof Float32Array) {
    args.push('FP32', float32LittleEndian(vector));
    return;
  }
  args.push('VALUES', vector.length);
  for (const value of vector) args.push(finite(value, 'a vector component'));
}

/** The blob `FP32` wants: little-endian float32s, copied (the caller may reuse its array). */
function float32LittleEndian(vector: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i] as number, i * 4);
  return out;
}

function finite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${what} must be a finite number, not ${String(value)}`);
  }
  return value;
}

function wholeNumber(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative integer, not ${String(value)}`);
  }
  return value;
}
