import { encodeCommand } from '@fusedis/resp';
import { rawRequest } from './raw-request.js';

/**
 * Sends one command to a server on loopback and returns its reply text (status, integer or bulk
 * body). A server error rejects with the error line, so topology set-up fails loudly.
 * Only for replies of those simple kinds: the harness's own set-up commands.
 */
export async function serverCommand(port: number, ...args: (string | number)[]): Promise<string> {
  const reply = await rawRequest(port, encodeCommand(args), '127.0.0.1', 5_000);
  if (reply.type === '-') throw new Error(`${args.join(' ')} on port ${port}: ${reply.text}`);
  return reply.text ?? '';
}

/** Polls `check` every `intervalMs` until it returns true; throws `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // A node that is restarting or loading answers with errors for a while: keep polling.
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
