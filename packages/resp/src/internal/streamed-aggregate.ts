import type { DecodeOptions } from '../decoder-contract.js';
import type { AggregateHeader } from './decode-frame.js';
import { MAP, MIN_VALUE_BYTES, PUSH, SET } from './wire.js';

/**
 * A top-level array, set, push or map that arrives in many chunks and is decoded element by
 * element as its elements become whole: each element is decoded once, and the reply is delivered
 * once its last element is in. Its array grows as elements arrive, so nothing is sized by a
 * count that the bytes have not backed yet.
 */
export class StreamedAggregate {
  readonly #type: number;
  readonly #elements: number;
  readonly #options: DecodeOptions;
  #index = 0;
  #items: unknown[] = [];
  #presized = false;
  readonly #entries: Map<unknown, unknown> | Record<string, unknown> | undefined;
  #key: unknown;
  #attributes: unknown[] | undefined;
  /** Bytes of the reply consumed so far (header and whole elements): counted against maxReplyBytes. */
  bytes: number;

  constructor(header: AggregateHeader, headerBytes: number, options: DecodeOptions) {
    this.#type = header.type;
    this.#elements = header.elements;
    this.#options = options;
    this.bytes = headerBytes;
    // No prototype: a key named __proto__ is an own data property, never a prototype change.
    if (header.type === MAP) this.#entries = options.maps === 'map' ? new Map() : Object.create(null);
  }

  /** Whether the next element is an object-mode map key (decoded as text). */
  get nextIsKey(): boolean {
    return this.#type === MAP && (this.#index & 1) === 0 && this.#options.maps === 'object';
  }

  get done(): boolean {
    return this.#index === this.#elements;
  }

  get push(): boolean {
    return this.#type === PUSH;
  }

  /** Attribute maps met inside the elements, in order (attributes: 'sink'). */
  get attributes(): unknown[] | undefined {
    return this.#attributes;
  }

  /** Elements still to come. */
  get remaining(): number {
    return this.#elements - this.#index;
  }

  /** Elements so far. */
  get index(): number {
    return this.#index;
  }

  /**
   * For arrays, sets and pushes: the array to store elements into directly, from `index` on (then
   * call `added`). Sized at the announced count as soon as `arrived` bytes of the reply could
   * hold that many elements, grown as they come before that.
   */
  items(arrived: number): unknown[] | undefined {
    if (this.#entries !== undefined) return undefined;
    if (!this.#presized && this.#elements * MIN_VALUE_BYTES <= arrived) {
      const items = new Array<unknown>(this.#elements);
      for (let i = 0; i < this.#index; i++) items[i] = this.#items[i];
      this.#items = items;
      this.#presized = true;
    }
    return this.#items;
  }

  /** Counts elements appended straight to `items`. */
  added(count: number): void {
    this.#index += count;
  }

  addAttributes(attributes: readonly unknown[]): void {
    if (this.#attributes === undefined) this.#attributes = [];
    this.#attributes.push(...attributes);
  }

  add(value: unknown): void {
    const entries = this.#entries;
    if (entries === undefined) {
      this.#items[this.#index] = value;
    } else if ((this.#index & 1) === 0) {
      this.#key = value;
    } else if (entries instanceof Map) {
      entries.set(this.#key, value);
    } else {
      entries[this.#key as string] = value;
    }
    this.#index++;
  }

  /** The whole reply, once `done`. */
  value(): unknown {
    if (this.#entries !== undefined) return this.#entries;
    return this.#type === SET && this.#options.sets === 'set' ? new Set(this.#items) : this.#items;
  }
}
