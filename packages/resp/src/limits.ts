/** Hardening limits shared by the frame scanner and every decoder. */
export interface RespLimits {
  /**
   * Elements announced by one aggregate (array, set, push; a map counts its entries).
   * @default 16_777_216
   */
  readonly maxElements: number;
  /**
   * Aggregates open at once (`*1\r\n*1\r\n…`).
   * @default 512
   */
  readonly maxDepth: number;
  /**
   * Digits (sign included) in one RESP3 big number, so `BigInt()` stays cheap.
   * @default 10_000
   */
  readonly maxBigNumberLength: number;
  /**
   * Bytes, in bytes, that one unfinished reply may buffer; also the largest bulk length accepted
   * (Redis's own `proto-max-bulk-len`).
   * @default 536_870_912 (512 MiB)
   */
  readonly maxReplyBytes: number;
}

/** The limits in DESIGN.md. */
export const DEFAULT_LIMITS: RespLimits = Object.freeze({
  maxElements: 16_777_216,
  maxDepth: 512,
  maxBigNumberLength: 10_000,
  maxReplyBytes: 512 * 1024 * 1024,
});

/** Fills in the defaults for the limits a caller left out. */
export function resolveLimits(limits?: Partial<RespLimits>): RespLimits {
  if (limits === undefined) return DEFAULT_LIMITS;
  return Object.freeze({ ...DEFAULT_LIMITS, ...limits });
}
