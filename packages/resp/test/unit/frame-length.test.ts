import {
  DECODER_FIXTURES,
  deepArrays,
  HOSTILE_CASES,
  offsetsOf,
  respStream,
  writeStream,
} from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameLength, RespProtocolError } from '../../src/index.js';

/** What `frameLength` threw, or undefined when it returned. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}

function expectReason(run: () => unknown, reason: string): void {
  const err = thrownBy(run);
  expect(err).toBeInstanceOf(RespProtocolError);
  expect((err as RespProtocolError).reason).toBe(reason);
  expect((err as RespProtocolError).code).toBe('ERR_RESP_PROTOCOL');
}

describe('frameLength', () => {
  describe('on the decoder fixtures', () => {
    for (const fixture of DECODER_FIXTURES) {
      const limits = fixture.options?.limits;

      it(`${fixture.name}: finds each frame's exact length, at its offset`, () => {
        let offset = 0;
        for (const frame of fixture.frames) {
          expect(frameLength(fixture.bytes, offset, limits), `frame at ${offset}`).toBe(frame.length);
          offset += frame.length;
        }
        expect(frameLength(fixture.bytes, offset, limits), 'at the end').toBe(-1);
      });

      it(`${fixture.name}: says -1 for every strict prefix of each frame`, () => {
        let offset = 0;
        for (const frame of fixture.frames) {
          for (const cut of offsetsOf(frame.length - 1)) {
            expect(
              frameLength(fixture.bytes.subarray(0, offset + cut), offset, limits),
              `frame at ${offset}, ${cut} bytes`,
            ).toBe(-1);
          }
          offset += frame.length;
        }
      });
    }
  });

  it('reads a plain Uint8Array as well as a Buffer', () => {
    const bytes = new Uint8Array(Buffer.from('*2\r\n$3\r\nfoo\r\n:1\r\n+OK\r\n'));
    expect(frameLength(bytes)).toBe(17);
    expect(frameLength(bytes, 17)).toBe(5);
  });

  it('starts at the offset it is given, ignoring the bytes before', () => {
    const bytes = Buffer.from('garbage that is not RESP at all: @@@$3\r\nfoo\r\n');
    expect(frameLength(bytes, bytes.indexOf('$'))).toBe(9);
    expect(frameLength(bytes, bytes.length)).toBe(-1);
  });

  it('skips bulk bodies without reading them', () => {
    const body = Buffer.from('*9\r\n@@@\r\n$5\r\n?\n\r');
    const bytes = Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from('\r\n')]);
    expect(frameLength(bytes)).toBe(bytes.length);
  });

  it('scans a flat array of 1,000,000 elements', () => {
    const bytes = Buffer.concat([Buffer.from('*1000000\r\n'), Buffer.alloc(4_000_000, ':1\r\n')]);
    expect(frameLength(bytes)).toBe(bytes.length);
    expect(frameLength(bytes.subarray(0, bytes.length - 1))).toBe(-1);
  });

  it('scans 1,000,000 ten-byte bulk strings', () => {
    const bytes = Buffer.concat([
      Buffer.from('*1000000\r\n'),
      Buffer.alloc(17_000_000, '$10\r\n0123456789\r\n'),
    ]);
    expect(frameLength(bytes)).toBe(bytes.length);
  });

  it("fails depth 200,000 with 'too-deep', not a stack overflow", () => {
    expectReason(() => frameLength(deepArrays(200_000)), 'too-deep');
  });

  it('accepts depth 512 and refuses 513 by default', () => {
    expect(frameLength(deepArrays(512))).toBe(deepArrays(512).length);
    expectReason(() => frameLength(deepArrays(513)), 'too-deep');
  });

  describe('on hostile input', () => {
    for (const hostile of HOSTILE_CASES) {
      it(`${hostile.name}: throws '${hostile.reason}'`, () => {
        expectReason(() => frameLength(hostile.bytes, 0, hostile.limits), hostile.reason);
        // Behind a whole frame: that frame is fine; the next one throws.
        const behind = Buffer.concat([Buffer.from('+OK\r\n'), hostile.bytes]);
        expect(frameLength(behind, 0, hostile.limits)).toBe(5);
        expectReason(() => frameLength(behind, 5, hostile.limits), hostile.reason);
      });
    }
  });

  it('agrees with the byte length of random RESP3 streams, frame by frame', () => {
    fc.assert(
      fc.property(respStream(), (nodes) => {
        const { bytes, ends } = writeStream(nodes);
        let offset = 0;
        for (const end of ends) {
          expect(frameLength(bytes, offset)).toBe(end - offset);
          expect(frameLength(bytes.subarray(0, end - 1), offset)).toBe(-1);
          offset = end;
        }
      }),
      { numRuns: 200 },
    );
  });
});
