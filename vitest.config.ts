import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, no services) and `integration` (*.int.test.ts, against the real Redis and
// FerretDB that test/setup/global-setup.ts starts once for the whole run).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Unit tests run first, then integration (projects with different maxWorkers need an order).
          sequence: { groupOrder: 0 },
          include: [
            'shared/**/*.test.ts',
            'services/**/*.test.ts',
            'infra/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: [
            'shared/**/*.int.test.ts',
            'services/**/*.int.test.ts',
            'infra/**/*.int.test.ts',
            'test/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: keep integration files from starving the embedded servers.
          maxWorkers: 2,
        },
      },
    ],
  },
});
