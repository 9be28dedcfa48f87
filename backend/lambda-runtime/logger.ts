import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/** An error as it is logged. */
interface LoggedError {
  name: string;
  message: string;
  stack?: string;
  cause?: LoggedError | string | number | boolean;
}

/**
 * An error's name, message, stack and cause (the same shape, down the chain), and nothing else:
 * other properties, such as an SDK error's `$metadata` or a transaction's `CancellationReasons`
 * with the items it held, stay out of the logs. A cause that is not an error is kept only when
 * it is a plain value; one already in the chain is written as text.
 */
function loggedError(error: Error, chain: Error[] = []): LoggedError {
  const logged: LoggedError = { name: error.name, message: error.message, stack: error.stack };
  const { cause } = error;
  const seen = [...chain, error];
  if (cause instanceof Error) logged.cause = seen.includes(cause) ? String(cause) : loggedError(cause, seen);
  else if (typeof cause === 'string' || typeof cause === 'number' || typeof cause === 'boolean') logged.cause = cause;
  return logged;
}

/** The function running in this async context, where one process hosts several (the local stack). */
interface HostedFunction {
  service: string;
  requestId?: string;
}

const hosted = new AsyncLocalStorage<HostedFunction>();

/** Shapes errors (`loggedError`) and, in a hosted function, names it and its request on the whole line. */
function jsonReplacer(key: string, value: unknown): unknown {
  if (value instanceof Error) return loggedError(value);
  const running = key === '' ? hosted.getStore() : undefined;
  if (running && typeof value === 'object' && value !== null) {
    return { ...value, service: running.service, ...(running.requestId && { requestId: running.requestId }) };
  }
  return value;
}

/**
 * The backend functions' logger (Powertools): one JSON line per entry with its level, message,
 * timestamp and service, which CloudWatch Logs Insights can query by field. The service is
 * `POWERTOOLS_SERVICE_NAME` (the CDK app names it after the function's entry), else the Lambda
 * function's name; the level is `POWERTOOLS_LOG_LEVEL` (INFO by default). Entries carry what
 * went wrong, never a request's body or headers, so no token or password reaches the logs.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME,
  jsonReplacerFn: jsonReplacer,
});

/** API Gateway's request id of an API event: the id in the access log. */
function requestIdOf(event: unknown): string | undefined {
  const requestId = (event as { requestContext?: { requestId?: unknown } } | undefined)?.requestContext?.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}

/**
 * A Lambda handler whose log lines carry the invocation's context (Lambda request id, cold start)
 * and, for an API event, API Gateway's request id as `requestId`: the id in the access log.
 */
export function withLogContext<E, R>(handler: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    logger.addContext(context);
    const requestId = requestIdOf(event);
    if (requestId) logger.appendKeys({ requestId });
    try {
      return await handler(event, context);
    } finally {
      logger.resetKeys();
    }
  };
}

/**
 * A handler run beside other functions in one process (the local stack), whose log lines name
 * `service` and the event's API Gateway request id as a deployed function's do. The names hold
 * for each invocation's own async work, so concurrent requests keep theirs; work that outlives
 * the invocation (a poll it started) keeps the service but not the request.
 */
export function inFunctionLogContext<E, R>(service: string, handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event) => {
    const running: HostedFunction = { service, requestId: requestIdOf(event) };
    try {
      return await hosted.run(running, () => handler(event));
    } finally {
      running.requestId = undefined;
    }
  };
}
