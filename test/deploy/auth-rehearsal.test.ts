/*
 * The auth server deploy rehearsal: the artifact `cdk deploy` uploads, started exactly as the
 * instance starts it. The env file comes from running the user data's own env-file function;
 * the process from the unit file's ExecStart, WorkingDirectory and EnvironmentFile; nginx from
 * the generated configuration; CloudFront is a stand-in that terminates HTTPS. What differs
 * from EC2 is named where it is done: instance paths map to a temp dir, ports are free ones,
 * and DATABASE_URL points at the local MariaDB without `?tls=amazon-rds` (it offers no TLS;
 * `backend/auth/database.spec.ts` proves that parameter makes the client insist on verified TLS).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { parseEnv } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createJwtAuthorizer } from '../../backend/local/jwt-authorizer';
import { bootSteps } from '../../infra/constructs/auth-server-boot';
import { AUTH_SERVICE_UNIT, authServerPaths } from '../../infra/constructs/auth-server-files';
import { runEnvFileFunction } from '../support/boot-script';
import { freePort, stop, waitForOk } from '../support/processes';
import { requirement } from '../support/requirements';
import { parseUnitFile, unitValues } from '../support/systemd-unit';
import { nginxBinary, startCloudFrontStandIn, startNginx, type CloudFrontStandIn } from './auth-stand-ins';
import { CloudAssemblyReader, logicalIdsOf, onlyLogicalIdOf } from './cloud-assembly';
import { TemplateResolver, tokenKey } from './template-resolver';

const mysqlUrl = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const mysqlReachable = await createConnection({ uri: mysqlUrl, connectTimeout: 2_000 }).then(
  (connection) => connection.end().then(() => true),
  () => false,
);
// Without nginx (locally) the CloudFront stand-in reaches the server directly; CI requires it.
const hasNginx = requirement('nginx', existsSync(nginxBinary), 'apt-get install nginx to run the generated nginx configuration in front of the server');

describe.runIf(requirement('MySQL', mysqlReachable, `nothing answers at ${mysqlUrl}; start MariaDB or set MYSQL_URL=mysql://…`))('the auth server as the instance runs it', () => {
  const assembly = new CloudAssemblyReader(inject('cloudAssemblyDir'));
  const auth = assembly.template('auth');
  const api = assembly.template('api');
  const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-auth-rehearsal-'));
  const schema = `alk_auth_rehearsal_${randomBytes(6).toString('hex')}`;
  const defaultCas = tls.getCACertificates('default');
  let cdn: CloudFrontStandIn;
  let server: ChildProcess | undefined;
  let nginx: ChildProcess | undefined;
  let output = '';
  let resolver: TemplateResolver;
  let envFile: Record<string, string | undefined>;

  beforeAll(async () => {
    const admin = await createConnection({ uri: mysqlUrl });
    await admin.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4`);
    await admin.end();

    const serverPort = await freePort();
    const originPort = hasNginx ? await freePort() : serverPort;
    cdn = await startCloudFrontStandIn(originPort, dir);
    // Node's fetch (the authorizer's too) trusts the stand-in like CloudFront's public certificate.
    tls.setDefaultCACertificates([...defaultCas, cdn.certificate]);

    // Strict: a new deploy-time value in the user data is given one here deliberately, never guessed.
    resolver = new TemplateResolver({
      stacks: { 'alktunes-auth': auth, 'alktunes-api': api },
      strict: true,
      tokenValues: {
        [tokenKey({ 'Fn::GetAtt': [onlyLogicalIdOf(auth, 'AWS::CloudFront::Distribution'), 'DomainName'] })]: cdn.domain,
        [tokenKey({ Ref: onlyLogicalIdOf(auth, 'AWS::SecretsManager::SecretTargetAttachment') })]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
        [tokenKey({ Ref: signingKeysSecret() })]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:keys',
        [tokenKey({ 'Fn::GetAtt': [onlyLogicalIdOf(auth, 'AWS::EC2::EIP'), 'AllocationId'] })]: 'eipalloc-0123456789abcdef0',
      },
    });
    const userDataBase64 = resolver.string('alktunes-auth', auth.Resources[onlyLogicalIdOf(auth, 'AWS::EC2::Instance')]!.Properties!.UserData);
    const userData = Buffer.from(userDataBase64, 'base64').toString('utf8');

    // The env file, written by the user data's own function from the database secret.
    const mysql = new URL(mysqlUrl);
    const secret = { username: decodeURIComponent(mysql.username), password: decodeURIComponent(mysql.password), host: mysql.hostname, port: Number(mysql.port || 3306), dbname: schema };
    const written = parseEnv(runEnvFileFunction(userData, bootSteps.writeEnv, secret).content);
    expect(written.DATABASE_URL).toMatch(/\?tls=amazon-rds$/);
    envFile = { ...written, DATABASE_URL: written.DATABASE_URL!.replace(/\?tls=amazon-rds$/, ''), PORT: String(serverPort) };

    // The artifact, run as its unit file says.
    const artifact = assembly.fileAssetDirs('auth').find((candidate) => existsSync(path.join(candidate, 'main.mjs')));
    if (!artifact) throw new Error('the auth stack has no asset holding main.mjs');
    const appDir = path.join(dir, 'app');
    cpSync(artifact, appDir, { recursive: true });
    // Instance paths the rehearsal maps into its temp dir (the app dir maps to a copy of the artifact).
    const instancePaths = new Map([
      [authServerPaths.appDir, appDir],
      [authServerPaths.keysDir, path.join(dir, 'keys')],
    ]);
    mkdirSync(path.join(dir, 'keys'), { mode: 0o700 });
    const onThisMachine = (instancePath: string) => {
      for (const [from, to] of instancePaths) if (instancePath === from || instancePath.startsWith(`${from}/`)) return to + instancePath.slice(from.length);
      throw new Error(`the rehearsal has no stand-in for the instance path ${instancePath}`);
    };
    const unit = parseUnitFile(readFileSync(path.join(appDir, AUTH_SERVICE_UNIT), 'utf8'));
    const service = (key: string) => unitValues(unit, 'Service', key);
    // systemd starts from a clean environment; Environment= lines apply first, env files override them.
    const environment: Record<string, string | undefined> = { PATH: '/usr/local/bin:/usr/bin:/bin' };
    for (const assignment of service('Environment')) Object.assign(environment, parseEnv(assignment));
    for (const file of service('EnvironmentFile')) {
      const optional = file.startsWith('-');
      const instancePath = file.replace(/^-/, '');
      if (instancePath === authServerPaths.envFile) Object.assign(environment, envFile);
      else if (!optional || existsSync(onThisMachine(instancePath))) Object.assign(environment, parseEnv(readFileSync(onThisMachine(instancePath), 'utf8')));
    }
    for (const [name, value] of Object.entries(environment)) {
      if (value?.startsWith('/') && name !== 'PATH') environment[name] = onThisMachine(value);
    }
    const [execStart] = service('ExecStart');
    if (!execStart || /["'\\]/.test(execStart)) throw new Error(`ExecStart the rehearsal cannot run: ${execStart}`);
    const [command, ...args] = execStart.split(/\s+/).map((word) => (word === authServerPaths.node ? process.execPath : word));
    server = spawn(command!, args, { cwd: onThisMachine(service('WorkingDirectory')[0]!), env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForOk(`http://127.0.0.1:${serverPort}/health`, () => output, () => server?.exitCode === null);

    if (hasNginx) {
      const started = startNginx({ mainConfig: readFileSync(path.join(appDir, 'nginx.conf'), 'utf8'), listenPort: originPort, upstreamPort: serverPort, dir: path.join(dir, 'nginx') });
      nginx = started.child;
      await waitForOk(`http://127.0.0.1:${originPort}/health`, started.log, () => nginx?.exitCode === null);
    }
  });

  afterAll(async () => {
    tls.setDefaultCACertificates(defaultCas);
    await stop(nginx);
    await stop(server);
    await cdn?.close();
    const admin = await createConnection({ uri: mysqlUrl });
    await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The API authorizer's JwtConfiguration, with the same test values for the auth stack's tokens. */
  const authorizerConfig = () => {
    const authorizer = api.Resources[onlyLogicalIdOf(api, 'AWS::ApiGatewayV2::Authorizer')]!.Properties!.JwtConfiguration as { Issuer: unknown; Audience: string[] };
    return { issuer: resolver.string('alktunes-api', authorizer.Issuer), audiences: authorizer.Audience };
  };

  function signingKeysSecret(): string {
    const ids = logicalIdsOf(auth, 'AWS::SecretsManager::Secret').filter((id) => JSON.stringify(auth.Resources[id]!.Properties?.Name).includes('signing-keys'));
    if (ids.length !== 1) throw new Error(`expected one signing keys secret, found ${ids.length}`);
    return ids[0]!;
  }

  it('migrates its fresh database at start', async () => {
    const connection = await createConnection({ uri: mysqlUrl });
    try {
      const [rows] = await connection.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?', [schema]);
      expect((rows as { name: string }[]).map((row) => row.name)).toEqual(expect.arrayContaining(['users', 'refresh_tokens']));
    } finally {
      await connection.end();
    }
  });

  it('serves discovery through CloudFront and nginx with the issuer the API authorizer trusts', async () => {
    const { issuer } = authorizerConfig();
    expect(issuer).toBe(`https://${cdn.domain}`);
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.jwks_uri).toBe(`${issuer}/.well-known/jwks.json`);
  });

  it('issues tokens the API authorizer, configured from the template, accepts', async () => {
    const { issuer, audiences } = authorizerConfig();
    expect(audiences).toHaveLength(1);
    const authorizer = createJwtAuthorizer({ issuer, audience: audiences[0]! });
    const account = { email: `rehearsal-${randomBytes(4).toString('hex')}@example.com`, password: 'a long rehearsal passphrase', name: 'Rehearsal' };
    const post = (route: string, body: unknown) =>
      fetch(`${issuer}/auth/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const registered = await post('register', account);
    expect(registered.status).toBe(201);
    const login = await post('login', { email: account.email, password: account.password });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const claims = await authorizer.authorize(`Bearer ${accessToken}`);
    expect(claims).toMatchObject({ iss: issuer, aud: audiences[0], sub: expect.any(String) });
    if (hasNginx) expect(readFileSync(path.join(dir, 'nginx', 'access.log'), 'utf8')).toMatch(/"POST \/auth\/login HTTP\/1\.1" 200 /);
  });

  it('writes its signing keys only where the unit lets it', () => {
    expect(readdirSync(path.join(dir, 'keys'))).toEqual(['signing-keys.json']);
  });
});
