/*
 * A one-function Lambda runtime for the deploy rehearsal, run by Node itself (type stripping, no
 * loader) so the process holds nothing but the bundle: like the `nodejs24.x` runtime, it imports
 * the module named by `_HANDLER` from `LAMBDA_TASK_ROOT` once, then calls its export per event.
 * Events arrive over the IPC channel; so do results, errors and the init time.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface InvokeMessage {
  id: number;
  event: unknown;
  /** Epoch ms by which the function must answer (its configured timeout). */
  deadline: number;
}

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

const send = (message: Record<string, unknown>) => process.send?.(message);
const errorOf = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };

async function loadHandler(): Promise<Handler> {
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? '.';
  const spec = process.env._HANDLER ?? 'index.handler';
  const dot = spec.lastIndexOf('.');
  const [moduleName, exportName] = [spec.slice(0, dot), spec.slice(dot + 1)];
  const file = ['.mjs', '.js', '.cjs'].map((ext) => path.join(taskRoot, moduleName + ext)).find((f) => existsSync(f));
  if (!file) throw new Error(`Runtime.ImportModuleError: no ${moduleName}.mjs/.js/.cjs in ${taskRoot}`);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const handler = module[exportName];
  if (typeof handler !== 'function') throw new Error(`Runtime.HandlerNotFound: ${spec} is not a function`);
  return handler as Handler;
}

// The test runner is the only caller: when it goes (even killed), so does the function.
process.on('disconnect', () => process.exit());

const started = performance.now();
try {
  const handler = await loadHandler();
  process.on('message', (message: InvokeMessage) => {
    const context = {
      awsRequestId: `rehearsal-${message.id}`,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    };
    handler(message.event, context).then(
      (result) => send({ type: 'result', id: message.id, result }),
      (error: unknown) => send({ type: 'error', id: message.id, error: errorOf(error) }),
    );
  });
  send({ type: 'ready', initMs: performance.now() - started });
} catch (error) {
  send({ type: 'init-error', error: errorOf(error) });
  process.exitCode = 1;
  process.disconnect?.();
}
