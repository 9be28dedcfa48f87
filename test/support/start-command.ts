import { spawn, type ChildProcess } from 'node:child_process';

/** Ports for `npm start` that let the system pick free ones, so runs never collide. */
export const freePortsEnv = { AUTH_PORT: '0', API_PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0' };

/** `npm start`'s entry. */
export const startScript = 'backend/local/start.ts';

export interface StartCommandRun {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Waits until the output holds `text`; throws with the output so far if the process exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /**
   * Sends `signal` (unless the process has exited) and waits until it has: SIGINT or SIGTERM
   * for a normal stop, SIGKILL for a crash.
   */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `npm start`'s entry (or another `script` run the same way, e.g. part of the stack) as a
 * tool would: no terminal, output captured, stopped by a signal, without the extension build or
 * a browser. `wrapper` is a command the start command is passed to as arguments (e.g. one that
 * starts it in another mount namespace). The process does not outlive this one.
 */
export function startCommand(env: Record<string, string>, wrapper: string[] = [], script = startScript): StartCommandRun {
  const [command, ...args] = [...wrapper, process.execPath, '--import', 'tsx', script];
  const child = spawn(command!, args, {
    env: { ...process.env, ALKTUNES_BUILD_EXTENSION: '0', ALKTUNES_OPEN_BROWSER: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  // A test run that ends early (a failed assertion before the cleanup) must not leave it running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      resolve(code);
    }),
  );
  const waitFor = async (text: string, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; output so far:\n${output}`);
      if (gone()) throw new Error(`exited with ${child.signalCode ?? child.exitCode} before "${text}":\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (!gone()) child.kill(signal);
    return exited;
  };
  return { child, exited, waitFor, output: () => output, kill };
}
