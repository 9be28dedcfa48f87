/*
 * The auth server deploy rehearsal: the artifact `cdk deploy` uploads, started exactly as the
 * instance starts it. The env file comes from running the user data's own env-file function;
 * the process from the unit file's ExecStart, WorkingDirectory and EnvironmentFile; nginx from
 * the generated configuration, with the CloudFront ranges its watch writes; CloudFront is a
 * stand-in that terminates HTTPS and reaches nginx from the one address of the rehearsal's
 * prefix list, and other loopback addresses play viewers and strangers. What differs
 * from EC2 is named where it is done: instance paths map to a temp dir, ports are free ones,
 * and DATABASE_URL points at the local MariaDB without `?tls=amazon-rds` (it offers no TLS;
 * `backend/auth/database.spec.ts` proves that parameter makes the client insist on verified TLS).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { parseEnv } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminScript, type InstanceLayout } from '../../backend/cli/admin/on-instance';
import { createJwtAuthorizer } from '../../backend/local/jwt-authorizer';
import { shellQuote } from '../../infra/constructs/auth-server-boot';
import { CLOUDFRONT_RANGES_SCRIPT } from '../../infra/constructs/auth-server-cloudfront-ranges';
import { AUTH_SERVICE_UNIT, authServerPaths } from '../../infra/constructs/auth-server-files';
import { runEnvFileFunction } from '../support/boot-script';
import { freePort, stop, waitForOk } from '../support/processes';
import { requirement } from '../support/requirements';
import { setprivStandIn } from '../support/setpriv-stand-in';
import { parseUnitFile, unitValues } from '../support/systemd-unit';
import {
  CLOUDFRONT_ORIGIN_FACING_ADDRESS,
  nginxBinary,
  sendFrom,
  startCloudFrontStandIn,
  startNginx,
  type CloudFrontStandIn,
} from './auth-stand-ins';
import { CloudAssemblyReader, logicalIdsOf, onlyLogicalIdOf } from './cloud-assembly';
import { TemplateResolver, tokenKey } from './template-resolver';

const mysqlUrl = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const mysqlReachable = await createConnection({ uri: mysqlUrl, connectTimeout: 2_000 }).then(
  (connection) => connection.end().then(() => true),
  () => false,
);
// Without nginx (locally) the CloudFront stand-in reaches the server directly; CI requires it.
const hasNginx = requirement(
  'nginx',
  existsSync(nginxBinary),
  'apt-get install nginx to run the generated nginx configuration in front of the server',
);

describe.runIf(requirement('MySQL', mysqlReachable, `nothing answers at ${mysqlUrl}; start MariaDB or set MYSQL_URL=mysql://…`))(
  'the auth server as the instance runs it',
  () => {
    const assembly = new CloudAssemblyReader(inject('cloudAssemblyDir'));
    const auth = assembly.template('auth');
    const api = assembly.template('api');
    const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-auth-rehearsal-'));
    const schema = `alk_auth_rehearsal_${randomBytes(6).toString('hex')}`;
    const defaultCas = tls.getCACertificates('default');
    let cdn: CloudFrontStandIn;
    let originPort: number;
    let server: ChildProcess | undefined;
    let nginx: ChildProcess | undefined;
    let output = '';
    let resolver: TemplateResolver;
    let envFile: Record<string, string | undefined>;
    let adminLayout: InstanceLayout;
    let adminPath: string;

    beforeAll(async () => {
      const admin = await createConnection({ uri: mysqlUrl });
      await admin.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4`);
      await admin.end();

      const serverPort = await freePort();
      originPort = hasNginx ? await freePort() : serverPort;
      cdn = await startCloudFrontStandIn(originPort, dir);
      // Node's fetch (the authorizer's too) trusts the stand-in like CloudFront's public certificate.
      tls.setDefaultCACertificates([...defaultCas, cdn.certificate]);

      // Strict: a new deploy-time value in the user data is given one here deliberately, never guessed.
      const data = assembly.template('data');
      resolver = new TemplateResolver({
        stacks: assembly.stacks(),
        strict: true,
        // The auth server is given the revocations table's name; the rehearsal's server never writes to it.
        physicalNames: Object.fromEntries(
          logicalIdsOf(data, 'AWS::DynamoDB::GlobalTable')
            .filter((id) => id.startsWith('RevocationsTable'))
            .map((id) => [`alktunes-data/${id}`, 'alktunes-revocations']),
        ),
        tokenValues: {
          [tokenKey({ 'Fn::GetAtt': [onlyLogicalIdOf(auth, 'AWS::CloudFront::Distribution'), 'DomainName'] })]: cdn.domain,
          [tokenKey({ Ref: onlyLogicalIdOf(auth, 'AWS::SecretsManager::SecretTargetAttachment') })]:
            'arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
          [tokenKey({ Ref: signingKeysSecret() })]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:keys',
          [tokenKey({ 'Fn::GetAtt': [onlyLogicalIdOf(auth, 'Custom::PrefixListLookup'), 'PrefixLists.0.PrefixListId'] })]: 'pl-4fa04526',
        },
      });
      const userDataBase64 = resolver.string('alktunes-auth', serverInstance().Properties!.UserData);
      const userData = Buffer.from(userDataBase64, 'base64').toString('utf8');

      // The env file, written by the user data's own functions from the database secret and the
      // issuer's parameter, as CloudFormation writes it once the distribution exists.
      const issuerParameter = resolver.string(
        'alktunes-auth',
        auth.Resources[onlyLogicalIdOf(auth, 'AWS::SSM::Parameter')]!.Properties!.Value,
      );
      const mysql = new URL(mysqlUrl);
      const secret = {
        username: decodeURIComponent(mysql.username),
        password: decodeURIComponent(mysql.password),
        host: mysql.hostname,
        port: Number(mysql.port || 3306),
        dbname: schema,
      };
      const written = parseEnv(runEnvFileFunction(userData, secret, issuerParameter).content);
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
        for (const [from, to] of instancePaths)
          if (instancePath === from || instancePath.startsWith(`${from}/`)) return to + instancePath.slice(from.length);
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
        else if (!optional || existsSync(onThisMachine(instancePath)))
          Object.assign(environment, parseEnv(readFileSync(onThisMachine(instancePath), 'utf8')));
      }
      for (const [name, value] of Object.entries(environment)) {
        if (value?.startsWith('/') && name !== 'PATH') environment[name] = onThisMachine(value);
      }
      // The admin command over SSM (npm run admin -- --stack-outputs) sources the env file; this one holds the server's environment, mapped.
      adminLayout = { appDir, envFile: path.join(dir, 'auth.env'), node: process.execPath, user: authServerPaths.user };
      const envLines = Object.entries(environment).filter(([name, value]) => name !== 'PATH' && value !== undefined);
      writeFileSync(adminLayout.envFile, envLines.map(([name, value]) => `${name}=${shellQuote(value!)}\n`).join(''), { mode: 0o600 });
      adminPath = `${await setprivStandIn(dir)}:/usr/bin:/bin`;
      const [execStart] = service('ExecStart');
      if (!execStart || /["'\\]/.test(execStart)) throw new Error(`ExecStart the rehearsal cannot run: ${execStart}`);
      const [command, ...args] = execStart.split(/\s+/).map((word) => (word === authServerPaths.node ? process.execPath : word));
      server = spawn(command!, args, {
        cwd: onThisMachine(service('WorkingDirectory')[0]!),
        env: environment,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitForOk(
        `http://127.0.0.1:${serverPort}/health`,
        () => output,
        () => server?.exitCode === null,
      );

      if (hasNginx) {
        // CloudFront's origin-facing ranges, written by the artifact's ranges watch from a prefix list of one: the stand-in's address.
        const cloudFrontRanges = path.join(dir, 'cloudfront-origin-facing.conf');
        runRangesWatch(path.join(appDir, CLOUDFRONT_RANGES_SCRIPT), cloudFrontRanges, `${CLOUDFRONT_ORIGIN_FACING_ADDRESS}/32`);
        const started = startNginx({
          mainConfig: readFileSync(path.join(appDir, 'nginx.conf'), 'utf8'),
          listenPort: originPort,
          upstreamPort: serverPort,
          cloudFrontRanges,
          dir: path.join(dir, 'nginx'),
        });
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
      const authorizer = api.Resources[onlyLogicalIdOf(api, 'AWS::ApiGatewayV2::Authorizer')]!.Properties!.JwtConfiguration as {
        Issuer: unknown;
        Audience: string[];
      };
      return { issuer: resolver.string('alktunes-api', authorizer.Issuer), audiences: authorizer.Audience };
    };

    /** The auth server's instance (the other one is the NAT instance). */
    function serverInstance() {
      const servers = logicalIdsOf(auth, 'AWS::EC2::Instance').filter((id) => auth.Resources[id]!.Properties!.InstanceType === 't4g.small');
      if (servers.length !== 1) throw new Error(`expected one auth server instance, found ${servers.length}`);
      return auth.Resources[servers[0]!]!;
    }

    /** Runs the ranges watch as its unit would, with `aws` answering `cidrs` for the prefix list and nginx not running yet (as at boot). */
    function runRangesWatch(script: string, rangesFile: string, cidrs: string) {
      const bin = path.join(dir, 'ranges-bin');
      mkdirSync(bin);
      writeFileSync(path.join(bin, 'aws'), `#!/bin/sh\nprintf '%s\\n' '${cidrs}'\n`, { mode: 0o755 });
      writeFileSync(path.join(bin, 'systemctl'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
      execFileSync('bash', [script], {
        env: { PATH: `${bin}:/usr/bin:/bin`, PREFIX_LIST_ID: 'pl-4fa04526', AWS_REGION: 'us-east-1', CLOUDFRONT_RANGES_FILE: rangesFile },
        stdio: 'pipe',
      });
    }

    function signingKeysSecret(): string {
      const ids = logicalIdsOf(auth, 'AWS::SecretsManager::Secret').filter((id) =>
        JSON.stringify(auth.Resources[id]!.Properties?.Name).includes('signing-keys'),
      );
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
      const account = {
        email: `rehearsal-${randomBytes(4).toString('hex')}@example.com`,
        password: 'a long rehearsal passphrase',
        name: 'Rehearsal',
      };
      const post = (route: string, body: unknown) =>
        fetch(`${issuer}/auth/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

      // A deployment takes invites by default: the admin makes one with the artifact's own admin command, run as SSM runs it.
      expect(await (await fetch(`${issuer}/auth/registration`)).json()).toEqual({ policy: 'invite' });
      expect((await post('register', account)).status).toBe(403);
      const printed = execFileSync('sh', ['-c', adminScript(['invite', '--email', account.email], adminLayout)], {
        env: { PATH: adminPath },
        encoding: 'utf8',
      });
      const inviteCode = /invite code \(shown once\): (\S+)/.exec(printed)?.[1];
      expect(inviteCode, printed).toBeDefined();
      const registered = await post('register', { ...account, inviteCode });
      expect(registered.status).toBe(202);
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

    /** The client address the server used for a response's request (what its rate limits key on), from its request log. */
    async function clientAddressSeenByServer(response: { headers: IncomingHttpHeaders }): Promise<string | undefined> {
      const requestId = String(response.headers['x-request-id']);
      for (let attempt = 0; attempt < 20; attempt++) {
        for (const line of output.split('\n')) {
          if (!line.includes(requestId)) continue;
          const entry = JSON.parse(line) as { msg?: string; requestId?: string; ip?: string };
          if (entry.msg === 'request' && entry.requestId === requestId) return entry.ip;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the server logged no request ${requestId}\n${output}`);
    }

    describe.runIf(hasNginx)('the client address, which the rate limits key on', () => {
      const viewer = '127.0.0.9';
      const stranger = '127.0.0.3';
      const forgedHeaders = (address: string) => ({ 'cloudfront-viewer-address': `${address}:443`, 'x-forwarded-for': address });

      it('is the viewer as CloudFront reports it, whatever the viewer put in X-Forwarded-For or CloudFront-Viewer-Address', async () => {
        const response = await sendFrom(`https://${cdn.domain}/health`, {
          from: viewer,
          ca: cdn.certificate,
          headers: forgedHeaders('198.51.100.7'),
        });
        expect(response.status).toBe(200);
        expect(await clientAddressSeenByServer(response)).toBe(viewer);
      });

      it('is the peer itself for a client that reaches nginx without CloudFront, whatever it forges', async () => {
        for (const forged of ['203.0.113.1', '203.0.113.2']) {
          const response = await sendFrom(`http://127.0.0.1:${originPort}/health`, { from: stranger, headers: forgedHeaders(forged) });
          expect(response.status).toBe(200);
          expect(await clientAddressSeenByServer(response)).toBe(stranger);
        }
      });

      it("keeps a flood with a new forged address each in one nginx limit, while CloudFront's viewers keep one each", async () => {
        const login = (url: string, from: string, headers: Record<string, string>, ca?: string) =>
          sendFrom(`${url}/auth/login`, {
            from,
            ca,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: '{}',
          });
        // nginx answers its own 429 in HTML; the server answers JSON.
        const limitedByNginx = (responses: { status: number; headers: IncomingHttpHeaders }[]) =>
          responses.filter((response) => response.status === 429 && String(response.headers['content-type']).startsWith('text/html'))
            .length;

        const forged = await Promise.all(
          Array.from({ length: 40 }, (_, i) => login(`http://127.0.0.1:${originPort}`, '127.0.0.4', forgedHeaders(`203.0.113.${i + 10}`))),
        );
        expect(limitedByNginx(forged)).toBeGreaterThan(0);
        const viewers = await Promise.all(
          Array.from({ length: 40 }, (_, i) => login(`https://${cdn.domain}`, `127.0.1.${i + 1}`, {}, cdn.certificate)),
        );
        expect(limitedByNginx(viewers)).toBe(0);
      });
    });
  },
);
