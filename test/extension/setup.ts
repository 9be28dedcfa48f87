import { locks } from 'node:worker_threads';

// happy-dom has no Web Locks (`navigator.locks` is null); Node implements the same API, so the
// extension's session lock runs for real in specs, shared by every client in the test file as it
// is by every context of the extension.
if (globalThis.navigator && !globalThis.navigator.locks) {
  Object.defineProperty(globalThis.navigator, 'locks', { value: locks, configurable: true });
}
