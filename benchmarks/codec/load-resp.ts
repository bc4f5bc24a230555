import type { Resp } from './decode-peers.js';

/** @fusedis/resp, or why it did not load (the peers still run without it). */
export type RespLoad =
  | { readonly resp: Resp; readonly entry: string }
  | { readonly resp: undefined; readonly entry: string; readonly error: string };

/** Imports @fusedis/resp: its TS sources under `--conditions=@fusedis/source`, its built dist otherwise. */
export async function loadResp(): Promise<RespLoad> {
  let entry = '(unresolved)';
  try {
    entry = import.meta.resolve('@fusedis/resp');
    const resp = (await import('@fusedis/resp')) as Resp;
    return { resp, entry };
  } catch (err) {
    return {
      resp: undefined,
      entry,
      error: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err),
    };
  }
}
