import { describe, expect, it } from 'vitest';
import { Ring } from '../../src/internal/ring.js';

describe('Ring', () => {
  it('is first in, first out across growth and wrap-around', () => {
    const ring = new Ring<number>(16);
    const expected: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7 + round; i++) {
        ring.push(next);
        expected.push(next++);
      }
      for (let i = 0; i < 5 + round; i++) expect(ring.shift()).toBe(expected.shift());
      expect(ring.length).toBe(expected.length);
      expect(ring.peek()).toBe(expected[0]);
      expect(ring.at(1)).toBe(expected[1]);
    }
    expect(ring.drain()).toEqual(expected);
    expect(ring.length).toBe(0);
    expect(ring.shift()).toBeUndefined();
  });

  it('stays FIFO when it shrinks back after a burst', () => {
    const ring = new Ring<number>();
    for (let i = 0; i < 300_000; i++) ring.push(i);
    let inOrder = true;
    for (let i = 0; i < 300_000; i++) if (ring.shift() !== i) inOrder = false;
    expect(inOrder).toBe(true);
    for (let i = 0; i < 100; i++) ring.push(i);
    expect(ring.drain()).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
