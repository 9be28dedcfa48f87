import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { authServerPaths } from '../../infra/constructs/auth-server-files';

export interface NginxOptions {
  /** The generated main configuration (`nginx.conf` of the artifact), as the instance installs it. */
  mainConfig: string;
  listenPort: number;
  /** Port the rehearsal's auth server listens on, in place of the instance's. */
  upstreamPort: number;
  /** CloudFront's origin-facing ranges as the ranges watch wrote them, in place of the instance's file. */
  cloudFrontRanges: string;
  /** Scratch directory for nginx's prefix, logs and pid. */
  dir: string;
}

/**
 * Runs the generated main configuration as the instance's nginx does, with only the
 * machine-specific parts swapped: a free port instead of 80 (IPv4 only), pid, logs and temp
 * files under `dir`, the upstream on the rehearsal server's port, the ranges file the rehearsal's
 * ranges watch wrote, and no `user` (the
 * distribution's `nginx` account does not exist here). Each swap must match exactly once, so a
 * change to the generated file cannot slip past the rehearsal unrun.
 */
export function startNginx(options: NginxOptions): { child: ChildProcess; log: () => string } {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  // Workers drop to an unprivileged user when nginx runs as root; they must reach the prefix.
  chmodSync(dir, 0o755);
  const swaps: [RegExp, string][] = [
    [/^user \S+;\n/m, ''],
    [/^pid \S+;$/m, `pid ${path.join(dir, 'nginx.pid')};`],
    [/^error_log \S+ (\w+);$/m, `error_log ${path.join(dir, 'error.log')} $1;`],
    [
      /^http \{$/m,
      [
        'http {',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${path.join(dir, kind)};`),
      ].join('\n'),
    ],
    [/listen 80 default_server;/, `listen 127.0.0.1:${options.listenPort} default_server;`],
    [/^\s*listen \[::\]:80 default_server;\n/m, ''],
    [/server 127\.0\.0\.1:\d+;/, `server 127.0.0.1:${options.upstreamPort};`],
    [new RegExp(`include ${authServerPaths.cloudFrontRanges.replace(/[./]/g, '\\$&')};`), `include ${options.cloudFrontRanges};`],
    [/access_log \S+ (\w+);/, `access_log ${path.join(dir, 'access.log')} $1;`],
  ];
  const main = swaps.reduce((text, [pattern, replacement]) => {
    const matches = text.match(new RegExp(pattern.source, `${pattern.flags}g`))?.length ?? 0;
    if (matches !== 1) throw new Error(`the generated nginx.conf has ${matches} matches of ${pattern}; the rehearsal swaps exactly one`);
    return text.replace(pattern, replacement);
  }, options.mainConfig);
  const configFile = path.join(dir, 'nginx.conf');
  writeFileSync(configFile, main);
  const args = ['-p', dir, '-c', configFile, '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'];
  execFileSync(nginxBinary, [...args, '-t'], { stdio: 'pipe' });
  const child = spawn(nginxBinary, args, { stdio: 'ignore' });
  return { child, log: () => readOr(path.join(dir, 'error.log')) };
}

export const nginxBinary = '/usr/sbin/nginx';

export interface CloudFrontStandIn {
  /** `localhost:<port>`: what the distribution's domain name resolves to in the rehearsal. */
  domain: string;
  /** PEM of the stand-in's self-signed certificate, to trust like a public one. */
  certificate: string;
  close(): Promise<void>;
}

/**
 * Where the stand-in's requests to the origin come from: CloudFront's origin-facing servers,
 * played by one loopback address. The rehearsal's prefix list holds it alone.
 */
export const CLOUDFRONT_ORIGIN_FACING_ADDRESS = '127.0.0.2';

/**
 * Plays CloudFront for the auth server: terminates HTTPS with a certificate for localhost and
 * forwards every request to the origin over HTTP from its origin-facing address, setting
 * CloudFront-Viewer-Address itself (whatever the viewer sent) as the distribution's origin
 * request policy does, and appending the viewer to X-Forwarded-For as CloudFront does.
 */
export async function startCloudFrontStandIn(originPort: number, dir: string): Promise<CloudFrontStandIn> {
  const key = path.join(dir, 'cdn.key');
  const cert = path.join(dir, 'cdn.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    {
      stdio: 'pipe',
    },
  );
  const certificate = readFileSync(cert, 'utf8');
  const server = createHttpsServer({ key: readFileSync(key), cert: certificate }, (viewer, response) => {
    const viewerIp = viewer.socket.remoteAddress!;
    const forwardedFor = viewer.headers['x-forwarded-for'];
    const headers = {
      ...viewer.headers,
      'cloudfront-viewer-address': `${viewerIp}:${viewer.socket.remotePort}`,
      'x-forwarded-for': forwardedFor ? `${String(forwardedFor)}, ${viewerIp}` : viewerIp,
    };
    const origin = request(
      {
        host: '127.0.0.1',
        port: originPort,
        localAddress: CLOUDFRONT_ORIGIN_FACING_ADDRESS,
        method: viewer.method,
        path: viewer.url,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    origin.on('error', () => response.writeHead(502).end());
    viewer.pipe(origin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    domain: `localhost:${port}`,
    certificate,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SentRequest {
  /** An address of 127.0.0.0/8 to send from: a viewer, or a stranger talking to the origin directly. */
  from: string;
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string;
  /** For an `https:` URL: the certificate to trust (the stand-in's). */
  ca?: string;
}

/** One HTTP(S) request from a chosen loopback address; `fetch` cannot pick the address it sends from. */
export function sendFrom(url: string, options: SentRequest): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      { method: options.method ?? 'GET', headers: options.headers, localAddress: options.from, ca: options.ca, agent: false },
      (answer) => {
        let body = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (body += chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
