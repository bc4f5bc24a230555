import type { Unblock } from '@fusedis/pool';

/** `CLIENT UNBLOCK id` until it answers 1: 0 while the command has not reached the server yet. */
export async function unblockOnceBlocked(unblock: Unblock, id: number): Promise<unknown> {
  for (let tries = 0; ; tries++) {
    const answer = await unblock(id);
    if (answer !== 0 || tries >= 200) return answer;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
