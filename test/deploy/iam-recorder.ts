import { Agent, createServer, request, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedCall } from './iam-actions';

/** A proxy in front of the emulators that keeps every request passing through it. */
export interface RecordingProxy {
  /** Base URL to give a function as both `AWS_ENDPOINT_URL_DYNAMODB` and `AWS_ENDPOINT_URL_S3`. */
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Starts one recording proxy, meant for one function: it sees that function's SDK traffic at the
 * protocol level, whatever the bundle holds, and (because presigned URLs name the endpoint that
 * signed them) every client fetch of a URL that function signed. DynamoDB requests, recognised by
 * their `X-Amz-Target` header, go to `targets.dynamodb`; everything else to `targets.s3`.
 * The Host header is passed on untouched, so SigV4 signatures (and presigned URLs) stay valid.
 */
export async function startRecordingProxy(targets: { dynamodb: string; s3: string }): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const service = req.headers['x-amz-target'] ? 'dynamodb' : 's3';
      const call: RecordedCall = { service, method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, body };
      calls.push(call);
      const target = new URL(targets[service]);
      const headers: OutgoingHttpHeaders = { ...req.headers, 'content-length': body.length };
      // The body is buffered already: no 100-continue handshake or chunked framing upstream.
      delete headers.expect;
      delete headers['transfer-encoding'];
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          call.status = answer.statusCode;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`recording proxy: ${error.message}`);
      });
      upstream.end(body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
