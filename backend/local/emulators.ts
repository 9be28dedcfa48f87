import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { startDynamoDbLocal } from './dynamodb-local';
import { listen, closeServer } from './net';

/**
 * Answers `GET /health` in front of an emulator's own request handler, so every local
 * service has the same health check.
 */
function addHealthRoute(server: Server): void {
  const [handler] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!handler) throw new Error('emulator server has no request handler');
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    handler(req, res);
  });
}

export interface RunningEmulator {
  url: string;
  stop(): Promise<void>;
}

/**
 * DynamoDB stand-in: AWS's DynamoDB Local (a Java process), persisted under `dir` (in memory
 * when `dir` is undefined). Port 0 picks a free port.
 */
export async function startDynamoDb(host: string, port: number, dir?: string): Promise<RunningEmulator> {
  if (dir) await mkdir(dir, { recursive: true });
  return startDynamoDbLocal({ host, port, dir: dir && resolve(dir) });
}

/** S3 stand-in: s3rver, objects stored as files under `dir`. */
export async function startS3(host: string, port: number, dir: string): Promise<RunningEmulator> {
  await mkdir(dir, { recursive: true });
  // s3rver is a Koa app; serving its callback from our own server lets us add /health.
  const s3rver = new S3rver({ directory: dir, silent: true });
  const server = createServer(s3rver.callback());
  addHealthRoute(server);
  await listen(server, port, host, 's3');
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    stop: async () => {
      await closeServer(server);
      s3rver.logger.close();
    },
  };
}

export const emulatorDirs = (dataDir: string) => ({
  dynamodb: join(dataDir, 'dynamodb'),
  s3: join(dataDir, 's3'),
});
