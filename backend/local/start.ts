// `npm start`: checks the Node.js version before anything else is loaded, then boots the stack.
const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) {
  console.error(`Alktunes needs Node.js 22 or newer (24 recommended, see .nvmrc); this is Node.js ${process.versions.node}.`);
  process.exit(1);
}
await import('./main');
