import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runEnvFileFunction } from '../../test/deploy/auth-instance';
import { mysqlPoolOptions } from '../../backend/auth/database';
import { parseAuthEnv } from '../../backend/auth/env';
import { NODE_RELEASE, WRITE_ENV_FUNCTION, authServerBootScript } from './auth-server-boot';

const options = {
  artifactUrl: 's3://assets/auth.zip',
  databaseSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:alktunes/auth/database-1a2b3c4d-AbCdEf',
  signingKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:alktunes/auth/signing-keys-1a2b3c4d-GhIjKl',
  region: 'eu-west-1',
  environment: { HOST: '127.0.0.1', PORT: '4000', TRUST_PROXY: 'true', AUTH_ISSUER: 'https://d111.cloudfront.net', AUTH_AUDIENCE: 'alktunes-api' },
};
const script = () => authServerBootScript(options).join('\n');

describe('the auth server boot script', () => {
  it('writes the server its whole environment, DATABASE_URL built from the secret with verified TLS', () => {
    const secret = { username: 'alktunes', password: `a'b"c@d:e/f%g$h!(i)*`, host: 'db.abc.eu-west-1.rds.amazonaws.com', port: 3306, dbname: 'alktunes' };
    const { content, awsCalls } = runEnvFileFunction(script(), WRITE_ENV_FUNCTION, secret);
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

  it('refuses a value the env file could not quote', () => {
    expect(() => authServerBootScript({ ...options, environment: { AUTH_AUDIENCE: "it's" } })).toThrow(/AUTH_AUDIENCE must hold no quote/);
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

  it('fails the boot at the first failing step', () => {
    expect(authServerBootScript(options)[0]).toBe('set -euo pipefail');
  });
});
