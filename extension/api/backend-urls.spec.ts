import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKEND_URLS, originPattern, originPatterns, resolveBackendUrls } from './backend-urls';

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

  it('refuses a plain http:// build URL that is not this computer, naming the variable', () => {
    expect(() => resolveBackendUrls({ WXT_AUTH_URL: 'http://example.com' })).toThrow(/^WXT_AUTH_URL must use https:\/\//);
    expect(() => resolveBackendUrls({ WXT_API_URL: 'http://192.168.1.10:8711' })).toThrow(/^WXT_API_URL must use https:\/\//);
    expect(resolveBackendUrls({ WXT_MEDIA_URL: 'http://localhost:8712/' }).mediaUrl).toBe('http://localhost:8712');
  });

  it('grants a whole origin in host permissions', () => {
    expect(originPattern('https://api.example.com/prod')).toBe('https://api.example.com/*');
  });

  it('leaves the port out of the patterns for Firefox, whose match patterns cannot name one', () => {
    expect(originPattern('http://127.0.0.1:8712/', { anyPort: true })).toBe('http://127.0.0.1/*');
    expect(originPatterns(DEFAULT_BACKEND_URLS, { anyPort: true })).toEqual(['http://127.0.0.1/*']);
    expect(originPatterns(DEFAULT_BACKEND_URLS)).toEqual(['http://127.0.0.1:8710/*', 'http://127.0.0.1:8711/*', 'http://127.0.0.1:8712/*']);
  });
});
