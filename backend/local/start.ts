// `npm start`: checks the runtimes before anything else is loaded or started, then boots the stack.
const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) {
  console.error(`Alktunes needs Node.js 22 or newer (24 recommended, see .nvmrc); this is Node.js ${process.versions.node}.`);
  process.exit(1);
}

// DynamoDB Local runs on Java: say how to install it now rather than after half the stack is up.
const { JavaMissingError, requireJava } = await import('./dynamodb-local');
try {
  requireJava();
} catch (error) {
  if (!(error instanceof JavaMissingError)) throw error;
  console.error(`✗ ${error.message}`);
  process.exit(1);
}

await import('./main');
