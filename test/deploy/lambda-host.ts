import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stop } from '../support/processes';

const runtimeFile = fileURLToPath(new URL('./lambda-runtime.ts', import.meta.url));

export interface LambdaHostOptions {
  /** For messages only, e.g. the function's logical id. */
  name: string;
  /** The bundle folder (the function's `Code` asset). */
  taskRoot: string;
  /** The function's `Handler`, e.g. `index.handler`. */
  handler: string;
  /** The complete environment of the process: nothing is inherited from the test runner. */
  env: Record<string, string>;
  /** The function's configured timeout; an invocation that takes longer fails, as on Lambda. */
  timeoutSeconds: number;
}

/** One running function: a Node process that has imported its bundle once, as a cold start does. */
export interface LambdaHost {
  readonly name: string;
  /** Time to import the bundle (its top-level code included), in ms. */
  readonly initMs: number;
  /** Calls the handler with `event`; rejects with the handler's error and the process's recent output. */
  invoke<T = unknown>(event: unknown): Promise<T>;
  stop(): Promise<void>;
}

interface RuntimeMessage {
  type: 'ready' | 'init-error' | 'result' | 'error';
  id?: number;
  initMs?: number;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
}

/** Keeps the last few KB a process wrote, for failure messages. */
function outputTail(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

/**
 * Starts a Lambda bundle in its own process with exactly `env` (its top-level code reads the
 * environment at import), and resolves once the handler is loaded.
 */
export function startLambdaHost(options: LambdaHostOptions): Promise<LambdaHost> {
  const child = spawn(process.execPath, [runtimeFile], {
    cwd: options.taskRoot,
    env: { ...options.env, LAMBDA_TASK_ROOT: options.taskRoot, _HANDLER: options.handler },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail = outputTail(child);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const failure = (what: string, error?: RuntimeMessage['error']) =>
    new Error(`${options.name}: ${what}${error ? `: ${error.name}: ${error.message}` : ''}\n--- function output ---\n${tail()}`);

  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      reject(failure(`exited during init (${signal ?? code})`));
      for (const call of pending.values()) call.reject(failure(`exited (${signal ?? code})`));
      pending.clear();
    });
    child.on('message', (message: RuntimeMessage) => {
      if (message.type === 'init-error') return reject(failure('init failed', message.error));
      if (message.type === 'ready') {
        return resolve({
          name: options.name,
          initMs: message.initMs!,
          invoke: <T>(event: unknown) =>
            new Promise<T>((resolveCall, rejectCall) => {
              const id = nextId++;
              const timeoutMs = options.timeoutSeconds * 1000;
              const timer = setTimeout(() => {
                pending.delete(id);
                rejectCall(failure(`timed out after ${options.timeoutSeconds} s`));
              }, timeoutMs);
              pending.set(id, {
                resolve: (value) => (clearTimeout(timer), resolveCall(value as T)),
                reject: (error) => (clearTimeout(timer), rejectCall(error)),
              });
              child.send({ id, event, deadline: Date.now() + timeoutMs });
            }),
          stop: () => stop(child),
        });
      }
      const call = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.type === 'result') call?.resolve(message.result);
      else call?.reject(failure('handler threw', message.error));
    });
  });
}
