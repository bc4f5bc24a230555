import { describe, expect, it } from 'vitest';
import { GRAPH_DECODER_LAYOUT } from '../../src/graph-decoder.js';
import { loadBinding } from '../../src/load-binding.js';
import { NATIVE_DECODER_LAYOUT } from '../../src/native-decoder.js';

// The wrappers keep the numbers they share with Rust (hook slots, option bits, run markers, graph
// tape tags…) as plain constants, read on hot paths; the addon lists its own by name
// (src/layout.rs). A number changed on one side only would call the wrong helper or misread a
// tape: this is where it shows.
const layout = loadBinding().binding.wireLayout();

describe('the numbers the wrappers share with the addon', () => {
  it('are the same on both sides, every one of them', () => {
    const wrappers = { ...NATIVE_DECODER_LAYOUT, ...GRAPH_DECODER_LAYOUT };
    // Sorted by name, so a mismatch prints as one line of a readable diff.
    const byName = (record: Record<string, number>) =>
      Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
    expect(byName(wrappers)).toEqual(byName(layout));
  });

  it('give every slot of the hooks array one name', () => {
    const slots = Object.entries(NATIVE_DECODER_LAYOUT)
      .filter(([name]) => name.startsWith('hook.') || name.startsWith('stash.'))
      .map(([, slot]) => slot)
      .sort((a, b) => a - b);
    expect(slots).toEqual(Array.from({ length: NATIVE_DECODER_LAYOUT.hookSlots as number }, (_, i) => i));
  });
});
