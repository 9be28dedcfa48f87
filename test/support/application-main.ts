// The application side of the local stack (auth server, gateway with the API handlers, s3rver) in
// a process of its own, against a DynamoDB Local started elsewhere; see `application-process.ts`.
import { startLocalStack } from '../../backend/local/stack';

const { ALKTUNES_DATA_DIR: dataDir, DYNAMODB_URL: dynamodbUrl, NAME_PREFIX: namePrefix } = process.env;
if (!dataDir || !dynamodbUrl || !namePrefix) {
  console.error('Set ALKTUNES_DATA_DIR, DYNAMODB_URL and NAME_PREFIX');
  process.exit(2);
}

const stack = await startLocalStack({
  dataDir,
  dynamodbUrl,
  namePrefix,
  ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
  // Timed, so a slow start in a failed run shows which step it was.
  log: (line) => console.log(`${(performance.now() / 1000).toFixed(1)} s  ${line}`),
});
console.log('application is up');

// A normal stop for cleaning up; a crash drill ends this process with SIGKILL instead.
process.once('SIGTERM', () => {
  stack.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
});
