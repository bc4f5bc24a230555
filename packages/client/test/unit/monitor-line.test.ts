import { describe, expect, it } from 'vitest';
import { parseMonitorLine } from '../../src/monitor/monitor-line.js';

describe('parseMonitorLine', () => {
  it('reads time, db, source and the quoted arguments', () => {
    const line = '1795936526.593734 [2 127.0.0.1:53678] "SET" "a b" "x\\"y\\\\z\\n"';
    expect(parseMonitorLine(line)).toEqual({
      time: 1795936526.593734,
      db: 2,
      source: '127.0.0.1:53678',
      args: ['SET', 'a b', 'x"y\\z\n'],
      line,
    });
  });

  it('turns \\xHH escapes back into bytes, UTF-8 decoded', () => {
    const event = parseMonitorLine('1.5 [0 lua] "set" "caf\\xc3\\xa9" "\\r\\t\\a\\b" "\\xff"');
    expect(event?.source).toBe('lua');
    expect(event?.args).toEqual(['set', 'café', '\r\t\x07\b', '\uFFFD']);
  });

  it('keeps an IPv6 or Unix source whole', () => {
    expect(parseMonitorLine('2 [0 [::1]:6379] "PING"')?.source).toBe('[::1]:6379');
    expect(parseMonitorLine('2 [15 unix:/tmp/r.sock] "GET" "k"')).toMatchObject({
      db: 15,
      source: 'unix:/tmp/r.sock',
      args: ['GET', 'k'],
    });
  });

  it('says undefined for a line of another shape', () => {
    for (const line of [
      'OK',
      'x [0 a] "GET"',
      '1 [0 a] GET',
      '1 [0 a] "unterminated',
      '1 [0 a] "\\q"',
      '1 [z a] "GET"',
    ]) {
      expect(parseMonitorLine(line), line).toBeUndefined();
    }
  });
});
