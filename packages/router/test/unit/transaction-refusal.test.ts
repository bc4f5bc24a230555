import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { isSlotRefusal, transactionRefusal } from '../../src/index.js';
import { refusedAsReplica } from '../../src/transaction-refusal.js';

const error = (message: string) => new ReplyError(message);

describe('transactionRefusal', () => {
  it('finds the redirection behind an EXECABORT (the first one, wherever it is)', () => {
    const moved = error('MOVED 12 127.0.0.1:7001');
    const replies = [
      'OK',
      'QUEUED',
      moved,
      error('ASK 12 127.0.0.1:7002'),
      error('EXECABORT Transaction discarded'),
    ];
    expect(transactionRefusal(replies)).toBe(moved);
  });

  it('takes an EXEC that was itself redirected or asked to retry', () => {
    for (const message of ['MOVED 1 127.0.0.1:7001', 'ASK 1 127.0.0.1:7001', 'TRYAGAIN x', 'CLUSTERDOWN x']) {
      const exec = error(message);
      expect(transactionRefusal(['OK', 'QUEUED', exec])).toBe(exec);
    }
  });

  it('leaves alone an EXEC that ran, one a watched key cancelled, and an abort for other reasons', () => {
    expect(transactionRefusal(['OK', 'QUEUED', [1]])).toBeUndefined();
    expect(transactionRefusal(['OK', 'QUEUED', null])).toBeUndefined();
    const wrongArity = error('ERR wrong number of arguments');
    expect(transactionRefusal(['OK', wrongArity, error('EXECABORT Transaction discarded')])).toBeUndefined();
    // A redirection in the results of an EXEC that ran is a command's own outcome.
    expect(transactionRefusal(['OK', 'QUEUED', [error('MOVED 1 127.0.0.1:7001')]])).toBeUndefined();
  });

  it('isSlotRefusal: MOVED, ASK, TRYAGAIN and CLUSTERDOWN only, as ReplyErrors', () => {
    for (const code of ['MOVED 1 127.0.0.1:7001', 'ASK 1 127.0.0.1:7001', 'TRYAGAIN x', 'CLUSTERDOWN x'])
      expect(isSlotRefusal(error(code))).toBe(true);
    expect(isSlotRefusal(error('READONLY x'))).toBe(false);
    expect(isSlotRefusal(error('EXECABORT x'))).toBe(false);
    expect(isSlotRefusal(new Error('MOVED 1 127.0.0.1:7001'))).toBe(false);
  });
});

describe('refusedAsReplica', () => {
  const execAbort = error('EXECABORT Transaction discarded because of previous errors.');
  const readOnly = error("READONLY You can't write against a read only replica.");

  it('takes a queued write refused with READONLY before EXECABORT, and an EXEC refused with READONLY', () => {
    expect(refusedAsReplica(['OK', 'QUEUED', readOnly, execAbort])).toBe(true);
    expect(refusedAsReplica(['OK', 'QUEUED', readOnly])).toBe(true);
  });

  it('leaves alone an EXEC that ran (READONLY among its results included) and aborts for other reasons', () => {
    expect(refusedAsReplica(['OK', 'QUEUED', [1]])).toBe(false);
    expect(refusedAsReplica(['OK', 'QUEUED', [readOnly]])).toBe(false);
    expect(refusedAsReplica(['OK', 'QUEUED', null])).toBe(false);
    expect(refusedAsReplica(['OK', error('ERR wrong number of arguments'), execAbort])).toBe(false);
    expect(refusedAsReplica(['OK', error('MOVED 1 127.0.0.1:7001'), execAbort])).toBe(false);
  });
});
