import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** The logger module loaded afresh under `env`: it reads its service and level when imported. */
async function loggerWith(env: Record<string, string | undefined>): Promise<typeof import('./logger')> {
  for (const name of ['POWERTOOLS_SERVICE_NAME', 'AWS_LAMBDA_FUNCTION_NAME', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_DEV'])
    vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('./logger');
}

/** The JSON lines written to stdout and stderr from now on. */
function captureLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      return true;
    });
  }
  return lines;
}

const lambdaContext = {
  awsRequestId: 'lambda-request-1',
  functionName: 'alktunes-api-CatalogFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:alktunes-api-CatalogFunction',
  memoryLimitInMB: '512',
} as Context;

describe('the functions’ logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes one JSON line per entry, with the invocation’s context and API Gateway’s request id while it runs', async () => {
    const { logger, withLogContext } = await loggerWith({ POWERTOOLS_SERVICE_NAME: 'catalog' });
    const lines = captureLines();
    const handler = withLogContext(async (event: { requestContext: { requestId: string } }) => {
      logger.info('answered', { routeKey: 'GET /home' });
      return event.requestContext.requestId;
    });
    await expect(handler({ requestContext: { requestId: 'api-request-1' } }, lambdaContext)).resolves.toBe('api-request-1');
    logger.warn('between invocations');

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'answered',
        service: 'catalog',
        routeKey: 'GET /home',
        requestId: 'api-request-1',
        function_request_id: 'lambda-request-1',
        function_name: 'alktunes-api-CatalogFunction',
        timestamp: expect.any(String),
      }),
      expect.objectContaining({ level: 'WARN', message: 'between invocations' }),
    ]);
    expect(lines[1]).not.toHaveProperty('requestId');
  });

  it('logs an error with its name, message and stack', async () => {
    const { logger } = await loggerWith({ POWERTOOLS_SERVICE_NAME: 'shuffle' });
    const lines = captureLines();
    logger.error('home feed not published', { error: new TypeError('boom') });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'home feed not published',
        error: expect.objectContaining({ name: 'TypeError', message: 'boom', stack: expect.stringContaining('TypeError: boom') }),
      }),
    ]);
  });

  it('names the service after the function without POWERTOOLS_SERVICE_NAME, and takes its level from POWERTOOLS_LOG_LEVEL', async () => {
    const { logger } = await loggerWith({ AWS_LAMBDA_FUNCTION_NAME: 'alktunes-api-PurgeFunction', POWERTOOLS_LOG_LEVEL: 'WARN' });
    const lines = captureLines();
    logger.info('not written');
    logger.warn('written');
    expect(lines).toEqual([expect.objectContaining({ message: 'written', service: 'alktunes-api-PurgeFunction' })]);
  });
});
