/*
 * One in-memory DynamoDB Local for the whole `vitest run`, shared by every project that lists this
 * file as a globalSetup. A start costs 3–5 s and ~100 MB on a 2-CPU machine and most integration
 * files need a DynamoDB; each file takes tables of its own (see `sharedDynamoDb`). Suites that
 * restart DynamoDB or check what survives a restart start their own.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../backend/local/dynamodb-local';
// Brings in the `dynamodbUrl` key of Vitest's ProvidedContext.
import type {} from './shared-dynamodb';

interface Shared {
  running: Promise<RunningDynamoDbLocal>;
  projects: number;
}

// Vitest loads a globalSetup file once per project, each time as a new module, so the one
// emulator lives on the global object of the main process, counted by the projects using it.
const sharedKey = Symbol.for('alktunes.test.dynamodb');
const registry = globalThis as { [sharedKey]?: Shared };

export default async function setup(project: TestProject) {
  const shared = (registry[sharedKey] ??= { running: startDynamoDbLocal({ host: '127.0.0.1', port: 0 }), projects: 0 });
  shared.projects++;
  let dynamodb: RunningDynamoDbLocal;
  try {
    dynamodb = await shared.running;
  } catch (error) {
    delete registry[sharedKey];
    throw error;
  }
  project.provide('dynamodbUrl', dynamodb.url);
  return async () => {
    if (--shared.projects > 0) return;
    delete registry[sharedKey];
    await dynamodb.stop();
  };
}
