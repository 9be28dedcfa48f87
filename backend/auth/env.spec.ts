import { describe, expect, it } from 'vitest';
import { parseAuthEnv } from './env';

describe('auth env', () => {
  const minimal = {
    DATABASE_URL: 'sqlite:.data/auth.sqlite',
    AUTH_KEYS_FILE: '.data/auth-keys.json',
    REVOCATIONS_TABLE: 'alktunes-revocations',
    AWS_REGION: 'eu-west-1',
  };

  it('applies defaults', () => {
    const result = parseAuthEnv(minimal);
    expect(result).toEqual({
      ok: true,
      env: {
        ...minimal,
        PORT: 4000,
        HOST: '127.0.0.1',
        AUTH_AUDIENCE: 'alktunes-api',
        TRUSTED_PROXIES: [],
        CORS_ORIGINS: undefined,
        REGISTRATION: undefined,
        AWS_ENDPOINT_URL_DYNAMODB: undefined,
      },
    });
  });

  it('parses lists', () => {
    const result = parseAuthEnv({
      ...minimal,
      PORT: '8080',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/16',
    });
    expect(result.ok && result.env).toMatchObject({
      PORT: 8080,
      CORS_ORIGINS: ['https://a.example', 'https://b.example'],
      TRUSTED_PROXIES: ['127.0.0.1', '10.0.0.0/16'],
    });
  });

  it('refuses a trusted proxy that is not an address or range, such as the old TRUST_PROXY flag', () => {
    const wrong = parseAuthEnv({ ...minimal, TRUSTED_PROXIES: 'true' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toContain('TRUSTED_PROXIES: "true" is not an IP address or CIDR range');
  });

  it('takes a registration policy and refuses any other', () => {
    expect(parseAuthEnv({ ...minimal, REGISTRATION: 'open' })).toMatchObject({ ok: true, env: { REGISTRATION: 'open' } });
    const wrong = parseAuthEnv({ ...minimal, REGISTRATION: 'public' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/REGISTRATION: .*"open"\|"invite"\|"closed"/);
  });

  it('names every variable that needs setting', () => {
    const result = parseAuthEnv({ DATABASE_URL: 'postgres://x', PORT: 'eighty', AUTH_ISSUER: 'not a url' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      for (const name of ['DATABASE_URL', 'AUTH_KEYS_FILE', 'PORT', 'AUTH_ISSUER', 'REVOCATIONS_TABLE', 'AWS_REGION'])
        expect(result.message).toContain(name);
    }
  });
});
