import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runEnvFileFunction, shellFunction } from '../../test/support/boot-script';
import { mysqlPoolOptions } from '../../backend/auth/database';
import { parseAuthEnv } from '../../backend/auth/env';
import { NODE_RELEASE, authServerBootScript, bootSteps } from './auth-server-boot';
import { CLOUDFRONT_RANGES_SERVICE_UNIT, CLOUDFRONT_RANGES_TIMER_UNIT, cloudFrontRangesEnvFile } from './auth-server-cloudfront-ranges';
import { authServerPaths } from './auth-server-files';

const options = {
  artifactUrl: 's3://assets/auth.zip',
  databaseSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:alktunes/auth/database-1a2b3c4d-AbCdEf',
  databaseName: 'alktunes',
  signingKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:alktunes/auth/signing-keys-1a2b3c4d-GhIjKl',
  issuer: { parameterName: '/alktunes/auth/issuer' },
  cloudFrontPrefixListId: 'pl-4fa04526',
  region: 'eu-west-1',
  environment: {
    HOST: '127.0.0.1',
    PORT: '4000',
    TRUSTED_PROXIES: '127.0.0.1',
    AUTH_AUDIENCE: 'alktunes-api',
    REGISTRATION: 'invite',
    REVOCATIONS_TABLE: 'alktunes-revocations',
    AWS_REGION: 'eu-west-1',
  },
};
const cloudFrontUrl = 'https://d111111abcdef8.cloudfront.net';
const script = () => authServerBootScript(options).join('\n');
const secret = {
  username: 'alktunes',
  password: `a'b"c@d:e/f%g$h!(i)*`,
  host: 'db.abc.eu-west-1.rds.amazonaws.com',
  port: 3306,
  dbname: 'alktunes',
};

/** The boot's top-level commands: everything after the last function definition. */
const mainSequence = (text: string) => {
  const lines = text.split('\n');
  return lines.slice(lines.lastIndexOf('}') + 1);
};

/** A stand-in shell function that records its call (`name args…`) and then runs `body`. */
const recorder = (name: string, body = ':') => `${name}() { printf '%s\\n' "${name} $*" >> "$CALLS"; ${body}; }`;

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `lines` in bash under the boot's own `set -euo pipefail`, with node on PATH, calls recorded and a scratch `$DIR`. */
function runBash(lines: string[], args: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-boot-'));
  scratch.push(dir);
  const calls = path.join(dir, 'calls');
  writeFileSync(calls, '');
  const result = spawnSync(
    'bash',
    ['-c', ['set -euo pipefail', ...lines].join('\n'), 'boot', ...args.map((arg) => arg.replace('$DIR', dir))],
    {
      encoding: 'utf8',
      // A socket on stdin makes bash read ~/.bashrc, as if started by a remote shell.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, CALLS: calls, DIR: dir },
    },
  );
  const recorded = readFileSync(calls, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim());
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: recorded, dir };
}

describe('the auth server boot script', () => {
  it('writes the server its whole environment: the issuer from its parameter, DATABASE_URL built from the secret with verified TLS', () => {
    const { content, awsCalls } = runEnvFileFunction(script(), secret, cloudFrontUrl);
    expect(awsCalls).toEqual([
      [
        'ssm',
        'get-parameters',
        '--region',
        'eu-west-1',
        '--names',
        '/alktunes/auth/issuer',
        '--query',
        'Parameters[0].Value',
        '--output',
        'text',
      ],
      expect.arrayContaining(['secretsmanager', 'get-secret-value', options.databaseSecretArn]),
    ]);

    const env = parseEnv(content);
    expect(env).toEqual({
      ...options.environment,
      AUTH_KEYS_FILE: '/var/lib/alktunes-auth/signing-keys.json',
      NODE_ENV: 'production',
      AUTH_ISSUER: cloudFrontUrl,
      DATABASE_URL: expect.stringMatching(/^mysql:\/\/alktunes:.+@db\.abc\.eu-west-1\.rds\.amazonaws\.com:3306\/alktunes\?tls=amazon-rds$/),
    });
    // The password survives the URL (and the quoting of the env file) byte for byte.
    const url = new URL(env.DATABASE_URL!);
    expect(decodeURIComponent(url.password)).toBe(secret.password);
    expect(mysqlPoolOptions(env.DATABASE_URL!).ssl).toMatchObject({ verifyIdentity: true });
    expect(parseAuthEnv(env)).toMatchObject({
      ok: true,
      env: { AUTH_ISSUER: cloudFrontUrl, AUTH_AUDIENCE: 'alktunes-api', REGISTRATION: 'invite' },
    });
  });

  it('takes an issuer given by the stack (a custom domain) as it is, without asking for the parameter', () => {
    const withDomain = authServerBootScript({ ...options, issuer: { url: 'https://auth.example.com' } }).join('\n');
    const { content, awsCalls } = runEnvFileFunction(withDomain, secret);
    expect(parseEnv(content).AUTH_ISSUER).toBe('https://auth.example.com');
    expect(awsCalls.map((call) => call.slice(0, 2).join(' '))).toEqual(['secretsmanager get-secret-value']);
  });

  it("takes the database's name from the stack when the secret has no dbname", () => {
    const { dbname: _, ...withoutName } = secret;
    const fromSecret = parseEnv(runEnvFileFunction(script(), { ...secret, dbname: 'restored' }).content);
    expect(new URL(fromSecret.DATABASE_URL!).pathname).toBe('/restored');
    const fallback = parseEnv(
      runEnvFileFunction(authServerBootScript({ ...options, databaseName: 'auth_db' }).join('\n'), withoutName).content,
    );
    expect(new URL(fallback.DATABASE_URL!).pathname).toBe('/auth_db');
  });

  it('refuses a value the env file could not quote, a database name the script could not pass and an issuer that is no https://<host>', () => {
    expect(() => authServerBootScript({ ...options, environment: { AUTH_AUDIENCE: "it's" } })).toThrow(/AUTH_AUDIENCE must hold no quote/);
    expect(() => authServerBootScript({ ...options, databaseName: 'db; rm -rf /' })).toThrow(/database name/);
    expect(() => authServerBootScript({ ...options, issuer: { url: "https://auth.example.com/'x" } })).toThrow(
      /issuer must be https:\/\/<host>/,
    );
    expect(() => runEnvFileFunction(script(), secret, "https://x.example.com'; rm -rf /")).toThrow(/not an https:\/\/<host> URL/);
  });

  it('installs the pinned Node.js release, checked against its SHA-256, and no process manager from npm', () => {
    const text = script();
    expect(NODE_RELEASE.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toContain(`https://nodejs.org/dist/v${NODE_RELEASE.version}/${NODE_RELEASE.tarball}`);
    // Through the NAT instance, whose forwarding may come up a little after the route to it.
    const download = shellFunction(text, bootSteps.prepareHost)
      .split('\n')
      .find((line) => line.includes('nodejs.org'))!;
    expect(download).toMatch(/^\s*curl -fsSL --retry \d+ --retry-delay \d+ --retry-all-errors /);
    expect(text).toContain(`echo '${NODE_RELEASE.sha256}  /tmp/${NODE_RELEASE.tarball}' | sha256sum -c -`);
    // Checked before it is unpacked.
    expect(text.indexOf('sha256sum -c')).toBeLessThan(text.indexOf(`tar -xJf /tmp/${NODE_RELEASE.tarball}`));
    expect(text).not.toMatch(/npm install|pm2|latest-v/);
  });

  it('installs its nginx.conf as the main file, so the distribution server on port 80 is gone', () => {
    expect(shellFunction(script(), bootSteps.startNginx)).toContain('install -m 644 /opt/alktunes/auth/nginx.conf /etc/nginx/nginx.conf');
    expect(script()).not.toContain('/etc/nginx/conf.d/');
  });
});

describe('the auth server boot, step by step', () => {
  const allSteps = Object.values(bootSteps);

  it('fails the boot at the first failing command: no step is an && chain, whose middle set -e ignores', () => {
    const lines = authServerBootScript(options);
    expect(lines[0]).toBe('set -euo pipefail');
    // Outside single quotes, where the inline node programs have their own &&.
    expect(lines.filter((line) => line.replace(/'[^']*'/g, '').includes('&&'))).toEqual([]);
  });

  it('runs every step as a plain command, in order, and reports success (the exit trap) only after the health check', () => {
    const main = mainSequence(script());
    const run = runBash([...allSteps.map((step) => recorder(step)), ...main]);
    expect(run.status).toBe(0);
    expect(run.calls.map((call) => call.split(' ')[0])).toEqual([
      bootSteps.prepareHost,
      bootSteps.installArtifact,
      bootSteps.restoreKeys,
      bootSteps.startNginx,
      bootSteps.resolveIssuer,
      bootSteps.writeEnv,
      bootSteps.startServer,
      bootSteps.startHealthProbe,
      bootSteps.waitHealthy,
    ]);
    // Nothing runs after the health check but the exit trap's cfn-signal.
    expect(main.at(-1)).toBe(bootSteps.waitHealthy);
  });

  it('stops, reporting failure, when the server does not answer its health check', () => {
    const text = script();
    const healthCheck = shellFunction(text, bootSteps.waitHealthy);
    const others = allSteps.filter((step) => step !== bootSteps.waitHealthy).map((step) => recorder(step));
    const run = runBash([...others, recorder('curl', 'return 22'), recorder('sleep'), healthCheck, ...mainSequence(text)]);
    expect(run.status).not.toBe(0);
    expect(run.calls.filter((call) => call.startsWith('curl'))).toHaveLength(31);
  });

  describe('the issuer', () => {
    /** resolve_auth_issuer with `aws` answering the parameter reads in turn from `answers` (`!` for a failing call). */
    const resolve = (answers: string[]) =>
      runBash([
        'aws() {',
        '  printf \'%s\\n\' "aws $*" >> "$CALLS"',
        '  local answer',
        '  answer=$(sed -n "$(grep -c \'^aws \' "$CALLS")p" "$DIR/answers")',
        '  if [ "$answer" = ! ]; then return 255; fi',
        '  printf \'%s\\n\' "$answer"',
        '}',
        recorder('exitTrap'),
        recorder(bootSteps.startHealthProbe),
        recorder('sleep'),
        `printf '%s\\n' ${answers.map((answer) => `'${answer}'`).join(' ')} > "$DIR/answers"`,
        'trap \'echo "still armed" >> "$CALLS"\' EXIT',
        shellFunction(script(), bootSteps.resolveIssuer),
        bootSteps.resolveIssuer,
        'echo "AUTH_ISSUER=$AUTH_ISSUER"',
      ]);

    it('on a redeploy reads it and reports nothing early: CloudFormation moves the origin only once this instance is healthy', () => {
      const run = resolve([cloudFrontUrl]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(`AUTH_ISSUER=${cloudFrontUrl}\n`);
      expect(run.calls.filter((call) => !call.startsWith('aws'))).toEqual(['still armed']);
    });

    it('on a first deployment reports the host ready, hands the exit trap to the health probe, then waits for the distribution URL', () => {
      const run = resolve(['None', 'None', 'None', cloudFrontUrl]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`AUTH_ISSUER=${cloudFrontUrl}\n`);
      // Whatever ends the boot from here on starts the health probe, whose failures raise the alarm.
      expect(run.calls.filter((call) => !call.startsWith('aws'))).toEqual([
        'exitTrap',
        'sleep 10',
        'sleep 10',
        'sleep 10',
        bootSteps.startHealthProbe,
      ]);
    });

    it('after reporting early, keeps waiting through failed reads, saying so each minute, and then starts', () => {
      const run = resolve(['None', ...Array.from({ length: 13 }, () => '!'), 'None', cloudFrontUrl]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`AUTH_ISSUER=${cloudFrontUrl}\n`);
      expect(run.calls.filter((call) => call === 'sleep 10')).toHaveLength(15);
      expect(run.stdout.match(/Still waiting for \/alktunes\/auth\/issuer/g)).toHaveLength(2);
      expect(run.stdout).toContain('Still waiting for /alktunes/auth/issuer (2 min)');
    });

    it('stops the boot, reporting failure, when the parameter cannot be read: a redeploy never reports early', () => {
      const run = resolve(['!']);
      expect(run.status).not.toBe(0);
      expect(run.calls).toEqual([expect.stringMatching(/^aws ssm get-parameters/), 'still armed']);
    });

    it('gives up after an hour without the distribution, leaving the health probe to raise the alarm', () => {
      const run = resolve(Array.from({ length: 362 }, () => 'None'));
      expect(run.status).not.toBe(0);
      expect(run.calls.filter((call) => call === 'sleep 10')).toHaveLength(360);
      expect(run.stderr).toContain('/alktunes/auth/issuer holds None, not an https://<host> URL');
      expect(run.calls.at(-1)).toBe(bootSteps.startHealthProbe);
    });
  });

  it("starts nginx only after the ranges watch has written CloudFront's ranges from the prefix list", () => {
    const startNginx = shellFunction(script(), bootSteps.startNginx).replace(cloudFrontRangesEnvFile, '$DIR/cloudfront-ranges.env');
    const run = runBash([
      'set -euo pipefail',
      recorder('install'),
      recorder('nginx'),
      recorder('systemctl'),
      startNginx,
      bootSteps.startNginx,
    ]);
    expect(run.stderr).toBe('');
    expect(parseEnv(readFileSync(path.join(run.dir, 'cloudfront-ranges.env'), 'utf8'))).toEqual({
      PREFIX_LIST_ID: 'pl-4fa04526',
      AWS_REGION: 'eu-west-1',
      CLOUDFRONT_RANGES_FILE: authServerPaths.cloudFrontRanges,
    });
    expect(run.calls.filter((call) => !call.startsWith('install'))).toEqual([
      'systemctl daemon-reload',
      `systemctl start ${CLOUDFRONT_RANGES_SERVICE_UNIT}`,
      `systemctl enable ${CLOUDFRONT_RANGES_TIMER_UNIT}`,
      `systemctl start ${CLOUDFRONT_RANGES_TIMER_UNIT}`,
      'nginx -t',
      'systemctl enable nginx',
      'systemctl restart nginx',
    ]);
  });

  it('does not start nginx when the ranges cannot be read, nor on a configuration that fails nginx -t', () => {
    const startNginx = shellFunction(script(), bootSteps.startNginx).replace(cloudFrontRangesEnvFile, '$DIR/cloudfront-ranges.env');
    const nginxStarts = (calls: string[]) => calls.filter((call) => call.endsWith(' nginx'));
    const rangesFail = runBash([
      recorder('install'),
      recorder('nginx'),
      recorder('systemctl', '[ "$1" != start ] || return 1'),
      startNginx,
      bootSteps.startNginx,
    ]);
    expect(rangesFail.status).not.toBe(0);
    expect(rangesFail.calls).not.toContain('nginx -t');
    expect(nginxStarts(rangesFail.calls)).toEqual([]);
    const configFails = runBash([
      recorder('install'),
      recorder('nginx', 'return 1'),
      recorder('systemctl'),
      startNginx,
      bootSteps.startNginx,
    ]);
    expect(configFails.status).not.toBe(0);
    expect(configFails.calls).toContain('nginx -t');
    expect(nginxStarts(configFails.calls)).toEqual([]);
  });

  describe('signing keys', () => {
    const keysSecret = (keys: unknown[]) => `aws() { printf '%s\\n' "aws $*" >> "$CALLS"; printf '%s' '${JSON.stringify({ keys })}'; }`;
    const restore = (keys: unknown[], file: string) =>
      runBash(
        [
          keysSecret(keys),
          recorder('chown'),
          shellFunction(script(), bootSteps.restoreKeys),
          `${bootSteps.restoreKeys} "$1"`,
          'echo restored',
        ],
        [file],
      );

    it('restores stored keys to a file only the server reads', () => {
      const run = restore([{ kid: 'k1' }], '$DIR/signing-keys.json');
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('restored\n');
      const file = path.join(run.dir, 'signing-keys.json');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ keys: [{ kid: 'k1' }] });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(run.calls).toContain(`chown alktunes:alktunes ${file}`);
    });

    it('stops the boot when the secret holds no keys: the deployment makes them, never an instance', () => {
      const run = restore([], '$DIR/signing-keys.json');
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('holds no signing keys');
      expect(run.stdout).toBe('');
      expect(existsSync(path.join(run.dir, 'signing-keys.json'))).toBe(false);
    });

    it('only reads the keys secret', () => {
      expect(script()).not.toMatch(/secretsmanager (put-secret-value|update-secret)/);
      expect(Object.values(bootSteps)).not.toContain('store_new_signing_keys');
    });

    it('stops the boot when the keys file cannot be written', () => {
      const run = restore([{ kid: 'k1' }], '$DIR/missing/signing-keys.json');
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('missing/signing-keys.json');
      expect(run.stdout).toBe('');
    });
  });
});
