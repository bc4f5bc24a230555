import { beforeEach } from 'vitest';
import { unwellServers } from './redis-server.js';

// A vitest setup file for the integration projects: when a test fails, print the log of every
// server of this test file that crashed or stopped answering, before it is stopped and its
// folder removed (it took the reason with it otherwise).
beforeEach(({ onTestFailed }) => {
  onTestFailed(async () => {
    for (const report of await unwellServers()) console.error(report);
  });
});
