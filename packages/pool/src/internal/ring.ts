/** Past this capacity, an emptied ring drops its array, so a burst does not pin memory for good. */
const SHRINK_ABOVE = 262_144;

/**
 * A FIFO queue over a power-of-two circular array: push at the tail, shift at the head, both O(1)
 * with no `Array#shift` copying. It grows by doubling, and goes back to its first size when it
 * empties after holding more than `SHRINK_ABOVE` items.
 */
export class Ring<T> {
  #items: (T | undefined)[];
  #mask: number;
  readonly #initial: number;
  #head = 0;
  #length = 0;

  constructor(capacity = 16) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.#items = new Array<T | undefined>(size).fill(undefined);
    this.#mask = size - 1;
    this.#initial = size;
  }

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** The oldest item, or undefined when empty. */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    if (this.#length === 0 && this.#mask >= SHRINK_ABOVE) {
      this.#items = new Array<T | undefined>(this.#initial).fill(undefined);
      this.#mask = this.#initial - 1;
      this.#head = 0;
    }
    return item;
  }

  /** The item `index` places from the head (0 = oldest). */
  at(index: number): T | undefined {
    return index < 0 || index >= this.#length ? undefined : this.#items[(this.#head + index) & this.#mask];
  }

  /** Empties the queue, returning what it held, oldest first. */
  drain(): T[] {
    const out: T[] = new Array(this.#length);
    for (let i = 0; i < out.length; i++) out[i] = this.shift() as T;
    this.#head = 0;
    return out;
  }

  #grow(): void {
    const old = this.#items;
    const size = old.length * 2;
    const items = new Array<T | undefined>(size).fill(undefined);
    for (let i = 0; i < this.#length; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#head = 0;
    this.#mask = size - 1;
  }
}
