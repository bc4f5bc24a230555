import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources, so tests never run against a stale dist/.
const conditions = ['@fusedis/source', 'module', 'node', 'development|production'];
const resolve = { conditions };
const ssr = { resolve: { conditions, externalConditions: ['@fusedis/source'] } };

function projectsOf(folder: string): TestProjectInlineConfiguration[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'test')))
    .flatMap((entry) => {
      const root = join(folder, entry.name);
      const projects: TestProjectInlineConfiguration[] = [];
      if (existsSync(join(root, 'test', 'unit'))) {
        projects.push({
          resolve,
          ssr,
          test: { name: `${entry.name}:unit`, root, include: ['test/unit/**/*.test.ts'] },
        });
      }
      if (existsSync(join(root, 'test', 'integration'))) {
        projects.push({
          resolve,
          ssr,
          test: {
            name: `${entry.name}:integration`,
            root,
            include: ['test/integration/**/*.test.ts'],
            globalSetup: [join(import.meta.dirname, 'internal/test-harness/src/global-setup.ts')],
            setupFiles: [join(import.meta.dirname, 'internal/test-harness/src/report-unwell-servers.ts')],
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        });
      }
      return projects;
    });
}

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [...projectsOf('packages'), ...projectsOf('internal')],
  },
});
