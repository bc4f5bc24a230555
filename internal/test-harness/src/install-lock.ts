import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// mkdir is atomic: exactly one process creates the folder. Its owner writes its pid inside, so a
// lock left by a crashed installer can be recognised and broken instead of blocking forever.
const LOCK_NAME = '.install.lock';
const POLL_MS = 250;
const WAIT_LIMIT_MS = 15 * 60_000; // a slow network download plus apt-get, with room to spare
const PID_GRACE_MS = 30_000; // how long a lock may exist before its owner has written its pid

/**
 * Runs `fn` while holding the install lock in `dir`, so only one process (test run, demo, CLI)
 * downloads or installs servers at a time; the others wait, then find the result installed.
 */
export async function withInstallLock<T>(
  dir: string,
  log: (line: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, LOCK_NAME);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let announced = false;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await ownerOf(lock);
    if (owner === 'stale') {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `gave up waiting for the install lock ${lock} (held by pid ${owner}); delete it if stale`,
      );
    }
    if (!announced) {
      log(`waiting for another process (pid ${owner}) that is installing servers…`);
      announced = true;
    }
    await sleep(POLL_MS);
  }
  try {
    await writeFile(join(lock, 'pid'), String(process.pid));
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The pid holding the lock, `'unknown'` while it has not written it yet, or `'stale'`. */
async function ownerOf(lock: string): Promise<number | 'unknown' | 'stale'> {
  let text: string;
  try {
    text = await readFile(join(lock, 'pid'), 'utf8');
  } catch {
    try {
      const { mtimeMs } = await stat(lock);
      return Date.now() - mtimeMs > PID_GRACE_MS ? 'stale' : 'unknown';
    } catch {
      return 'stale'; // released between our mkdir and now: try again at once
    }
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return 'stale';
  return isAlive(pid) ? pid : 'stale';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still counts as alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
