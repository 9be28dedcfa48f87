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

  it('logs an error as its name, message, stack and cause only, the cause in the same shape', async () => {
    const { logger } = await loggerWith({ POWERTOOLS_SERVICE_NAME: 'playlists' });
    const lines = captureLines();
    const root = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', hostname: 'dynamodb.eu-west-1.amazonaws.com' });
    const sdkError = Object.assign(new Error('Transaction cancelled', { cause: root }), {
      name: 'TransactionCanceledException',
      $metadata: { httpStatusCode: 400, requestId: 'R1' },
      CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { email: { S: 'a@b.co' } } }],
    });
    logger.error('request failed', { error: sdkError });
    logger.error('as the extra argument', sdkError);

    const shape = (error: Error) => ({ name: error.name, message: error.message, stack: error.stack });
    for (const line of lines) expect(line.error).toEqual({ ...shape(sdkError), cause: shape(root) });
    expect(lines).toHaveLength(2);
  });

  it('keeps a cause that is not an error only as text, and stops at a cause that loops', async () => {
    const { logger } = await loggerWith({ POWERTOOLS_SERVICE_NAME: 'purge' });
    const lines = captureLines();
    const looping = new Error('outer');
    looping.cause = new Error('inner', { cause: looping });
    logger.error('a', { error: new Error('with text', { cause: 'disk full' }) });
    logger.error('b', { error: new Error('with data', { cause: { password: 'secret' } }) });
    logger.error('c', { error: looping });
    expect(lines.map((line) => line.error)).toEqual([
      expect.objectContaining({ message: 'with text', cause: 'disk full' }),
      expect.not.objectContaining({ cause: expect.anything() }),
      expect.objectContaining({ message: 'outer', cause: expect.objectContaining({ message: 'inner', cause: 'Error: outer' }) }),
    ]);
  });

  it('names the function and the request on each line when several functions share one process', async () => {
    const { logger, inFunctionLogContext } = await loggerWith({});
    const lines = captureLines();
    let poll: Promise<void> | undefined;
    const handler = (service: string) =>
      inFunctionLogContext(service, async (event: { requestContext: { requestId: string } }) => {
        await new Promise((resolve) => setTimeout(resolve, service === 'catalog' ? 20 : 0));
        logger.error('request failed', { routeKey: 'GET /x' });
        // Background work started by the request, running on after it.
        poll ??= new Promise<void>((resolve) => setTimeout(resolve, 40)).then(() => logger.warn('poll'));
        return event.requestContext.requestId;
      });
    // Two requests in flight at once, the first answering last.
    await Promise.all([
      handler('catalog')({ requestContext: { requestId: 'request-1' } }),
      handler('playlists')({ requestContext: { requestId: 'request-2' } }),
    ]);
    logger.warn('outside any');
    await poll;
    expect(lines).toEqual([
      expect.objectContaining({ service: 'playlists', requestId: 'request-2', routeKey: 'GET /x' }),
      expect.objectContaining({ service: 'catalog', requestId: 'request-1', routeKey: 'GET /x' }),
      expect.objectContaining({ message: 'outside any', service: 'service_undefined' }),
      expect.objectContaining({ message: 'poll', service: 'playlists' }),
    ]);
    expect(lines[2]).not.toHaveProperty('requestId');
    expect(lines[3]).not.toHaveProperty('requestId');
  });

  it('names the service after the function without POWERTOOLS_SERVICE_NAME, and takes its level from POWERTOOLS_LOG_LEVEL', async () => {
    const { logger } = await loggerWith({ AWS_LAMBDA_FUNCTION_NAME: 'alktunes-api-PurgeFunction', POWERTOOLS_LOG_LEVEL: 'WARN' });
    const lines = captureLines();
    logger.info('not written');
    logger.warn('written');
    expect(lines).toEqual([expect.objectContaining({ message: 'written', service: 'alktunes-api-PurgeFunction' })]);
  });
});
