import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runEnvFileFunction, shellFunction } from '../../test/support/boot-script';
import { mysqlPoolOptions } from '../../backend/auth/database';
import { parseAuthEnv } from '../../backend/auth/env';
import { NODE_RELEASE, authServerBootScript, bootSteps } from './auth-server-boot';

const options = {
  artifactUrl: 's3://assets/auth.zip',
  databaseSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:alktunes/auth/database-1a2b3c4d-AbCdEf',
  databaseName: 'alktunes',
  signingKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:alktunes/auth/signing-keys-1a2b3c4d-GhIjKl',
  elasticIpAllocationId: 'eipalloc-0123456789abcdef0',
  region: 'eu-west-1',
  environment: { HOST: '127.0.0.1', PORT: '4000', TRUST_PROXY: 'true', AUTH_ISSUER: 'https://d111.cloudfront.net', AUTH_AUDIENCE: 'alktunes-api' },
};
const script = () => authServerBootScript(options).join('\n');
const secret = { username: 'alktunes', password: `a'b"c@d:e/f%g$h!(i)*`, host: 'db.abc.eu-west-1.rds.amazonaws.com', port: 3306, dbname: 'alktunes' };

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

/** Runs `lines` in bash under the boot's own `set -euo pipefail`, with node on PATH and calls recorded. */
function runBash(lines: string[], args: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-boot-'));
  scratch.push(dir);
  const calls = path.join(dir, 'calls');
  writeFileSync(calls, '');
  const result = spawnSync('bash', ['-c', ['set -euo pipefail', ...lines].join('\n'), 'boot', ...args.map((arg) => arg.replace('$DIR', dir))], {
    encoding: 'utf8',
    // A socket on stdin makes bash read ~/.bashrc, as if started by a remote shell.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, CALLS: calls },
  });
  const recorded = readFileSync(calls, 'utf8').split('\n').filter(Boolean).map((line) => line.trim());
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: recorded, dir };
}

describe('the auth server boot script', () => {
  it('writes the server its whole environment, DATABASE_URL built from the secret with verified TLS', () => {
    const { content, awsCalls } = runEnvFileFunction(script(), bootSteps.writeEnv, secret);
    expect(awsCalls).toEqual([expect.arrayContaining(['secretsmanager', 'get-secret-value', options.databaseSecretArn])]);

    const env = parseEnv(content);
    expect(env).toEqual({
      ...options.environment,
      AUTH_KEYS_FILE: '/var/lib/alktunes-auth/signing-keys.json',
      NODE_ENV: 'production',
      DATABASE_URL: expect.stringMatching(/^mysql:\/\/alktunes:.+@db\.abc\.eu-west-1\.rds\.amazonaws\.com:3306\/alktunes\?tls=amazon-rds$/),
    });
    // The password survives the URL (and the quoting of the env file) byte for byte.
    const url = new URL(env.DATABASE_URL!);
    expect(decodeURIComponent(url.password)).toBe(secret.password);
    expect(mysqlPoolOptions(env.DATABASE_URL!).ssl).toMatchObject({ verifyIdentity: true });
    expect(parseAuthEnv(env)).toMatchObject({ ok: true, env: { AUTH_AUDIENCE: 'alktunes-api', TRUST_PROXY: true } });
  });

  it("takes the database's name from the stack when the secret has no dbname", () => {
    const { dbname: _, ...withoutName } = secret;
    const fromSecret = parseEnv(runEnvFileFunction(script(), bootSteps.writeEnv, { ...secret, dbname: 'restored' }).content);
    expect(new URL(fromSecret.DATABASE_URL!).pathname).toBe('/restored');
    const fallback = parseEnv(runEnvFileFunction(authServerBootScript({ ...options, databaseName: 'auth_db' }).join('\n'), bootSteps.writeEnv, withoutName).content);
    expect(new URL(fallback.DATABASE_URL!).pathname).toBe('/auth_db');
  });

  it('refuses a value the env file could not quote and a database name the script could not pass', () => {
    expect(() => authServerBootScript({ ...options, environment: { AUTH_AUDIENCE: "it's" } })).toThrow(/AUTH_AUDIENCE must hold no quote/);
    expect(() => authServerBootScript({ ...options, databaseName: 'db; rm -rf /' })).toThrow(/database name/);
  });

  it('installs the pinned Node.js release, checked against its SHA-256, and no process manager from npm', () => {
    const text = script();
    expect(NODE_RELEASE.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toContain(`https://nodejs.org/dist/v${NODE_RELEASE.version}/${NODE_RELEASE.tarball}`);
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

  it('runs every step as a plain command, in order, and claims the address last, once healthy', () => {
    const main = mainSequence(script());
    const run = runBash([...allSteps.map((step) => recorder(step)), ...main]);
    expect(run.status).toBe(0);
    expect(run.calls.map((call) => call.split(' ')[0])).toEqual([
      bootSteps.prepareHost,
      bootSteps.installArtifact,
      bootSteps.writeEnv,
      bootSteps.restoreKeys,
      bootSteps.startNginx,
      bootSteps.startServer,
      bootSteps.waitHealthy,
      bootSteps.storeKeys,
      bootSteps.claimAddress,
    ]);
    // Nothing runs after it but the exit trap's cfn-signal.
    expect(main.at(-1)).toBe(bootSteps.claimAddress);
  });

  it('never claims the address when the server does not answer its health check', () => {
    const text = script();
    const healthCheck = shellFunction(text, bootSteps.waitHealthy);
    const others = allSteps.filter((step) => step !== bootSteps.waitHealthy).map((step) => recorder(step));
    const run = runBash([...others, recorder('curl', 'return 22'), recorder('sleep'), healthCheck, ...mainSequence(text)]);
    expect(run.status).not.toBe(0);
    expect(run.calls.filter((call) => call.startsWith('curl'))).toHaveLength(31);
    expect(run.calls.some((call) => call.startsWith(bootSteps.storeKeys) || call.startsWith(bootSteps.claimAddress))).toBe(false);
  });

  it('claims the Elastic IP for its own instance id, read over IMDSv2', () => {
    const imds = [
      'curl() {',
      '  printf \'%s\\n\' "curl $*" >> "$CALLS"',
      '  case "$*" in',
      "    *'-X PUT http://169.254.169.254/latest/api/token'*) printf 'imds-token' ;;",
      "    *'X-aws-ec2-metadata-token: imds-token'*'/latest/meta-data/instance-id'*) printf 'i-0fedcba9876543210' ;;",
      '    *) return 22 ;;',
      '  esac',
      '}',
    ];
    const run = runBash([...imds, recorder('aws'), shellFunction(script(), bootSteps.claimAddress), bootSteps.claimAddress]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls.filter((call) => call.startsWith('aws'))).toEqual([
      `aws ec2 associate-address --region eu-west-1 --allocation-id ${options.elasticIpAllocationId} --instance-id i-0fedcba9876543210 --allow-reassociation`,
    ]);
  });

  it('stops before associating when the instance metadata cannot be read', () => {
    const run = runBash([recorder('curl', 'return 7'), recorder('aws'), shellFunction(script(), bootSteps.claimAddress), bootSteps.claimAddress]);
    expect(run.status).not.toBe(0);
    expect(run.calls.filter((call) => call.startsWith('aws'))).toEqual([]);
  });

  it('does not restart nginx on a configuration that fails nginx -t', () => {
    const run = runBash([recorder('install'), recorder('nginx', 'return 1'), recorder('systemctl'), shellFunction(script(), bootSteps.startNginx), bootSteps.startNginx]);
    expect(run.status).not.toBe(0);
    expect(run.calls).toContain('nginx -t');
    expect(run.calls.filter((call) => call.startsWith('systemctl'))).toEqual([]);
  });

  describe('signing keys', () => {
    const keysSecret = (keys: unknown[]) => `aws() { printf '%s\\n' "aws $*" >> "$CALLS"; printf '%s' '${JSON.stringify({ keys })}'; }`;
    const restore = (keys: unknown[], file: string) =>
      runBash([keysSecret(keys), recorder('chown'), shellFunction(script(), bootSteps.restoreKeys), `${bootSteps.restoreKeys} "$1"`, 'echo "KEYS_STORED=$KEYS_STORED"'], [file]);

    it('restores stored keys to a file only the server reads', () => {
      const run = restore([{ kid: 'k1' }], '$DIR/signing-keys.json');
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('KEYS_STORED=1\n');
      const file = path.join(run.dir, 'signing-keys.json');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ keys: [{ kid: 'k1' }] });
      expect(run.calls).toContain(`chown alktunes:alktunes ${file}`);
    });

    it('leaves the first boot to generate them', () => {
      const run = restore([], '$DIR/signing-keys.json');
      expect(run.stdout).toBe('KEYS_STORED=0\n');
      expect(existsSync(path.join(run.dir, 'signing-keys.json'))).toBe(false);
    });

    it('stops the boot when the keys file cannot be written, rather than count the keys as stored', () => {
      const run = restore([{ kid: 'k1' }], '$DIR/missing/signing-keys.json');
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('missing/signing-keys.json');
      expect(run.stdout).toBe('');
    });
  });
});
