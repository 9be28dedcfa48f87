import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * One `vitest run` covers every suite:
 * - unit:        specs beside the backend and infra code (`*.spec.ts`)
 * - extension:   specs beside the extension code, in a fake browser (WXT's fakeBrowser)
 * - integration: `test/integration`, against real DynamoDB Local, s3rver, SQLite and (with MYSQL_URL) MySQL
 * - deploy:      `test/deploy`, the deploy rehearsal: the synthesized artifacts (auth server, Lambda
 *                bundles, IAM policies) run against MariaDB and the local stack
 * - e2e:         `test/e2e`, the built extension: its manifests, and the extension in headless
 *                Chromium against a local stack
 *
 * Integration, deploy and e2e share one in-memory DynamoDB Local per run (`sharedDynamoDb` in a
 * test; each file gets its own tables); suites that restart DynamoDB or check what survives a
 * restart start their own. Unit specs start one only where they need it, so a run of unit specs
 * alone does not wait for Java.
 */
const sharedDynamoDb = 'test/support/dynamodb-global-setup.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['backend/**/*.spec.ts', 'infra/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        plugins: [WxtVitest(), vue()],
        test: {
          name: 'extension',
          include: ['extension/**/*.spec.ts'],
          environment: 'happy-dom',
          setupFiles: ['test/extension/setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: [sharedDynamoDb],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          environment: 'node',
          globalSetup: [sharedDynamoDb, 'test/deploy/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: [sharedDynamoDb],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
