import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * One `vitest run` (`npm test`) covers every suite. `npm run test:unit` runs the first two, the
 * ones to run while editing: they need no Java, no stack and no synthesis. It runs a file on every
 * CPU (`--maxWorkers=100%`): Vitest's default keeps one CPU for itself, which on a 2-CPU machine
 * means one file at a time.
 * - unit:        specs beside the backend code and the API contract (`backend/**\/*.spec.ts`,
 *                `shared/**\/*.spec.ts`), each file in a worker thread of its own
 * - extension:   specs beside the extension code, in a fake browser (WXT's fakeBrowser); the vm
 *                pool loads happy-dom once per worker, not once per file, and still gives each
 *                file a fresh window and fresh modules (with `isolate: false` instead, module
 *                state such as the shared API client would leak from one file into the next)
 * - synth:       specs beside the CDK code (`infra/**\/*.spec.ts`): they synthesize stacks and
 *                bundle the Lambdas and the auth server with esbuild, seconds per file
 * - integration: `test/integration`, against real DynamoDB Local, s3rver, SQLite and (with
 *                MYSQL_URL) MySQL; also the extension's specs against the local stack
 *                (`extension/**\/*.local-stack.spec.ts`), hence WXT's plugin here too
 * - deploy:      `test/deploy`, the deploy rehearsal: the synthesized artifacts (auth server, Lambda
 *                bundles, IAM policies) run against MariaDB and the local stack
 * - e2e:         `test/e2e`, the built extension: its manifests, and the extension in headless
 *                Chromium against a local stack
 *
 * Integration, deploy and e2e share one in-memory DynamoDB Local per run (`sharedDynamoDb` in a
 * test; each file gets its own tables); suites that restart DynamoDB or check what survives a
 * restart start their own.
 */
const sharedDynamoDb = 'test/support/dynamodb-global-setup.ts';
const againstLocalStack = 'extension/**/*.local-stack.spec.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['backend/**/*.spec.ts', 'shared/**/*.spec.ts'],
          environment: 'node',
          // Threads start faster than the default child processes, and isolate files as well.
          pool: 'threads',
          testTimeout: 30_000,
        },
      },
      {
        plugins: [WxtVitest(), vue()],
        test: {
          name: 'extension',
          include: ['extension/**/*.spec.ts'],
          exclude: [againstLocalStack],
          environment: 'happy-dom',
          setupFiles: ['test/extension/setup.ts'],
          pool: 'vmThreads',
        },
      },
      {
        test: {
          name: 'synth',
          include: ['infra/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', againstLocalStack],
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
