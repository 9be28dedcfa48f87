import { spawn, type ChildProcess } from 'node:child_process';

/** Ports for `npm start` that let the system pick free ones, so runs never collide. */
export const freePortsEnv = { AUTH_PORT: '0', API_PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0' };

export interface StartCommandRun {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Waits until the output holds `text`; throws with the output so far if the process exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
}

/**
 * Runs `npm start`'s entry as a tool would: no terminal, output captured, stopped by a signal,
 * without the extension build or a browser. `wrapper` is a command the start command is passed
 * to as arguments (e.g. one that starts it in another mount namespace).
 */
export function startCommand(env: Record<string, string>, wrapper: string[] = []): StartCommandRun {
  const [command, ...args] = [...wrapper, process.execPath, '--import', 'tsx', 'backend/local/start.ts'];
  const child = spawn(command!, args, {
    env: { ...process.env, ALKTUNES_BUILD_EXTENSION: '0', ALKTUNES_OPEN_BROWSER: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (text: string, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; output so far:\n${output}`);
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before "${text}":\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, output: () => output };
}
