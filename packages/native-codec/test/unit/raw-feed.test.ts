import { describe, expect, it } from 'vitest';
import { loadBinding, type NativeDecoderHandle } from '../../src/load-binding.js';
import { NATIVE_DECODER_LAYOUT } from '../../src/native-decoder.js';

// `feedDecoder` is a plain Node-API function, not a napi-rs method (src/lib.rs): it checks its
// receiver and guards against re-entry itself. These call the binding directly, as only the
// wrapper in src/native-decoder.ts does otherwise.
const { binding } = loadBinding();
const LIMITS = [1_000_000, 128, 10_000, 512 * 1024 * 1024];
const HOOK_SLOTS = NATIVE_DECODER_LAYOUT.hookSlots as number; // the hooks, then the stash slots (src/js.rs)

describe('feedDecoder (the plain Node-API entry)', () => {
  it('refuses anything but a NativeDecoder, and too few arguments, with an exception', () => {
    const hooks = new Array<unknown>(HOOK_SLOTS).fill(undefined);
    const ok = Buffer.from('+OK\r\n');
    const feed = binding.feedDecoder as (...args: unknown[]) => unknown;
    for (const notADecoder of [{}, null, undefined, 7, 'x', ok, hooks, () => {}]) {
      expect(() => feed(notADecoder, ok, hooks, false)).toThrow();
    }
    const decoder = new binding.NativeDecoder(0, LIMITS);
    expect(() => feed(decoder, ok, hooks)).toThrow('feedDecoder(decoder, chunk, hooks, decide)');
    expect(() => feed(decoder, 'not bytes', hooks, false)).toThrow();
    // Still usable after the refusals: nothing was held.
    expect(decoder.idle()).toBe(true);
  });

  it('refuses a feed or reset from inside its own hooks, and finishes the outer feed', () => {
    const decoder: NativeDecoderHandle = new binding.NativeDecoder(0, LIMITS);
    const hooks = new Array<unknown>(HOOK_SLOTS).fill(undefined);
    const caught: unknown[] = [];
    let asked = 0;
    // Slot 0: the reply-mode hook, which Rust calls as each reply starts when `decide` is true.
    hooks[NATIVE_DECODER_LAYOUT['hook.StringMode'] as number] = () => {
      asked++;
      for (const reenter of [
        () => binding.feedDecoder(decoder, Buffer.from('+OK\r\n'), hooks, false),
        () => decoder.reset(),
        () => decoder.idle(),
      ]) {
        try {
          reenter();
        } catch (err) {
          caught.push(err);
        }
      }
      return 'utf8';
    };
    const out = binding.feedDecoder(decoder, Buffer.from('+OK\r\n'), hooks, true);
    expect(asked).toBe(1);
    expect(caught).toHaveLength(3);
    for (const err of caught) expect(String(err)).toContain('in use by a feed() below this call');
    expect(out).toEqual([undefined, 'OK']); // slot 0: no kinds (every value a reply)
    expect(decoder.idle()).toBe(true);
  });
});
