import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The backend functions' logger (Powertools): one JSON line per entry with its level, message,
 * timestamp and service, which CloudWatch Logs Insights can query by field. The service is
 * `POWERTOOLS_SERVICE_NAME` (the CDK app names it after the function's entry), else the Lambda
 * function's name; the level is `POWERTOOLS_LOG_LEVEL` (INFO by default). Entries carry what
 * went wrong, never a request's body or headers, so no token or password reaches the logs.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME });

/**
 * A Lambda handler whose log lines carry the invocation's context (Lambda request id, cold start)
 * and, for an API event, API Gateway's request id as `requestId`: the id in the access log.
 */
export function withLogContext<E, R>(handler: (event: E) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    logger.addContext(context);
    const requestId = (event as { requestContext?: { requestId?: unknown } }).requestContext?.requestId;
    if (typeof requestId === 'string') logger.appendKeys({ requestId });
    try {
      return await handler(event);
    } finally {
      logger.resetKeys();
    }
  };
}
