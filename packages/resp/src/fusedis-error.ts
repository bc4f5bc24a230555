/**
 * The base of every error thrown or rejected by a `@fusedis/*` package.
 *
 * `instanceof` is decided by a brand (`Symbol.for('fusedis.error.<kind>')`) rather than by
 * prototype identity, so it keeps working when two copies of a package are installed.
 */
export class FusedisError extends Error {
  /** The brand that `instanceof` looks for; each subclass declares its own. */
  static readonly brand: symbol = Symbol.for('fusedis.error.FusedisError');

  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class `instanceof` asks about (a subclass too): each checks its own brand.
    // biome-ignore lint/complexity/noThisInStatic: polymorphic on purpose
    const brand = this.brand;
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** A stable, machine-readable code, e.g. `ERR_RESP_PROTOCOL` or a server code such as `WRONGTYPE`. */
  readonly code: string;

  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Marks `Class` (and its instances) with a brand of its own so `instanceof` survives duplicate installs. */
export function brandErrorClass(Class: { readonly brand: symbol; prototype: object }, name: string): void {
  Object.defineProperty(Class.prototype, Class.brand, { value: true });
  Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true });
}

brandErrorClass(FusedisError, 'FusedisError');
