import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
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

/** DynamoDB stand-in: dynalite, persisted in LevelDB under `dir` (in memory when `dir` is undefined). */
export async function startDynamoDb(host: string, port: number, dir?: string): Promise<RunningEmulator> {
  if (dir) await mkdir(dir, { recursive: true });
  const server: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  addHealthRoute(server);
  await listen(server, port, host, 'dynamodb');
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    // dynalite closes its LevelDB store when its server closes, so nothing written is lost.
    stop: () => closeServer(server),
  };
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
