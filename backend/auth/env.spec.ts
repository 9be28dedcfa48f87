import { describe, expect, it } from 'vitest';
import { parseAuthEnv } from './env';

describe('auth env', () => {
  const minimal = { DATABASE_URL: 'sqlite:.data/auth.sqlite', AUTH_KEYS_FILE: '.data/auth-keys.json' };

  it('applies defaults', () => {
    const result = parseAuthEnv(minimal);
    expect(result).toEqual({
      ok: true,
      env: { ...minimal, PORT: 4000, HOST: '127.0.0.1', AUTH_AUDIENCE: 'alktunes-api', TRUST_PROXY: false, CORS_ORIGINS: undefined },
    });
  });

  it('parses lists and flags', () => {
    const result = parseAuthEnv({ ...minimal, PORT: '8080', CORS_ORIGINS: 'https://a.example, https://b.example', TRUST_PROXY: '1' });
    expect(result.ok && result.env).toMatchObject({ PORT: 8080, CORS_ORIGINS: ['https://a.example', 'https://b.example'], TRUST_PROXY: true });
  });

  it('names every variable that needs setting', () => {
    const result = parseAuthEnv({ DATABASE_URL: 'postgres://x', PORT: 'eighty', AUTH_ISSUER: 'not a url' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      for (const name of ['DATABASE_URL', 'AUTH_KEYS_FILE', 'PORT', 'AUTH_ISSUER']) expect(result.message).toContain(name);
    }
  });
});
