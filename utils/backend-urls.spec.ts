import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKEND_URLS, originPattern, resolveBackendUrls } from './backend-urls';

describe('backend URLs', () => {
  it('defaults to the local stack', () => {
    expect(resolveBackendUrls({})).toEqual(DEFAULT_BACKEND_URLS);
  });

  it('takes the build env and drops trailing slashes', () => {
    expect(resolveBackendUrls({ WXT_API_URL: 'https://api.example.com/prod/' }).apiUrl).toBe('https://api.example.com/prod');
  });

  it('names the variable to fix when a URL is malformed', () => {
    expect(() => resolveBackendUrls({ WXT_AUTH_URL: 'auth.example.com' })).toThrow(/WXT_AUTH_URL/);
    expect(() => resolveBackendUrls({ WXT_MEDIA_URL: 'ftp://media.example.com' })).toThrow(/WXT_MEDIA_URL/);
  });

  it('grants a whole origin in host permissions', () => {
    expect(originPattern('https://api.example.com/prod')).toBe('https://api.example.com/*');
  });
});
