import { createServer, type Server } from 'node:http';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CatalogRepository } from '../../domain/ports';
import { createHomeFeedStep } from './home-feed';

/** Lambda's Invoke API (`POST /2015-03-31/functions/<name>/invocations`), answering what `answer` says. */
function startLambdaStub(answer: (name: string, event: unknown) => { payload: unknown; functionError?: string }) {
  const calls: { name: string; event: unknown }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return void res.writeHead(404).end();
    const name = decodeURIComponent(match[1]!);
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    calls.push({ name, event });
    const { payload, functionError } = answer(name, event);
    res.writeHead(200, { 'content-type': 'application/json', ...(functionError ? { 'x-amz-function-error': functionError } : {}) });
    res.end(JSON.stringify(payload));
  });
  return { server, calls };
}

const unused = { doc: {} as DynamoDBDocumentClient, catalog: {} as CatalogRepository };

describe('home feed after an import, in AWS', () => {
  const stub = startLambdaStub((name) =>
    name === 'broken-shuffle'
      ? {
          payload: { errorType: 'AccessDeniedException', errorMessage: 'not authorized to perform: dynamodb:GetItem' },
          functionError: 'Unhandled',
        }
      : { payload: { trackCount: 42, generatedAt: '2026-01-01T00:00:00.000Z' } },
  );
  beforeAll(async () => {
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    const { port } = stub.server.address() as { port: number };
    // The SDK's own override of the Lambda endpoint, so the code under test is unchanged.
    vi.stubEnv('AWS_ENDPOINT_URL_LAMBDA', `http://127.0.0.1:${port}`);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  });
  afterEach(() => void (stub.calls.length = 0));
  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise((resolve) => stub.server.close(resolve));
  });

  it('invokes the deployed shuffle function and reports the feed it published', async () => {
    const step = createHomeFeedStep({ shuffleFunction: 'alktunes-api-Shuffle1A2B' }, { region: 'eu-west-1', ...unused });
    await expect(step.publish()).resolves.toEqual({ trackCount: 42 });
    expect(stub.calls).toEqual([{ name: 'alktunes-api-Shuffle1A2B', event: expect.objectContaining({ source: 'alktunes.import' }) }]);
    expect(step.description).toBe('shuffle function alktunes-api-Shuffle1A2B');
  });

  it('turns a failed shuffle into an error naming the function and the cause', async () => {
    const step = createHomeFeedStep({ shuffleFunction: 'broken-shuffle' }, { region: 'eu-west-1', ...unused });
    await expect(step.publish()).rejects.toThrow(
      /shuffle function broken-shuffle failed: AccessDeniedException: not authorized to perform: dynamodb:GetItem/,
    );
  });
});
