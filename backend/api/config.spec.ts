import { describe, expect, it } from 'vitest';
import { loadApiConfig } from './config';

const env = { PLAYLISTS_TABLE: 'p', TRACKS_TABLE: 't', HOME_TABLE: 'h', REVOCATIONS_TABLE: 'r', LISTENING_TABLE: 'l', MEDIA_BUCKET: 'm' };

describe('loadApiConfig', () => {
  it('applies defaults', () => {
    expect(loadApiConfig(env)).toEqual({
      region: 'us-east-1',
      tables: { playlists: 'p', tracks: 't', home: 'h', revocations: 'r', listening: 'l' },
      mediaBucket: 'm',
      endpoints: { dynamodb: undefined, s3: undefined },
      streamUrlTtlSeconds: 900,
      revocationCacheSeconds: 30,
      search: { backend: 'embedded' },
    });
  });

  it('chooses the search backend, requiring the domain name for CloudSearch', () => {
    const search = loadApiConfig({ ...env, SEARCH_BACKEND: 'cloudsearch', CLOUDSEARCH_DOMAIN: 'alktunes-search' }).search;
    expect(search).toEqual({ backend: 'cloudsearch', domainName: 'alktunes-search' });
    expect(() => loadApiConfig({ ...env, SEARCH_BACKEND: 'cloudsearch' })).toThrow(/CLOUDSEARCH_DOMAIN/);
    expect(() => loadApiConfig({ ...env, SEARCH_BACKEND: 'elastic' })).toThrow(/SEARCH_BACKEND/);
  });

  it('reads endpoints and the URL lifetime', () => {
    const config = loadApiConfig({
      ...env,
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8713',
      AWS_ENDPOINT_URL_S3: '',
      STREAM_URL_TTL_SECONDS: '120',
    });
    expect(config).toMatchObject({ region: 'eu-west-1', endpoints: { dynamodb: 'http://127.0.0.1:8713' }, streamUrlTtlSeconds: 120 });
    expect(config.endpoints.s3).toBeUndefined();
  });

  it('fails fast naming what to set', () => {
    expect(() => loadApiConfig({ ...env, TRACKS_TABLE: undefined })).toThrow(/TRACKS_TABLE/);
    expect(() => loadApiConfig({ ...env, MEDIA_BUCKET: ' ' })).toThrow(/MEDIA_BUCKET/);
    expect(() => loadApiConfig({ ...env, STREAM_URL_TTL_SECONDS: 'soon' })).toThrow(/STREAM_URL_TTL_SECONDS/);
    expect(() => loadApiConfig({ ...env, REVOCATIONS_TABLE: undefined })).toThrow(/REVOCATIONS_TABLE/);
  });

  it('takes a revocation cache window of at most 30 seconds', () => {
    expect(loadApiConfig({ ...env, REVOCATION_CACHE_SECONDS: '0' }).revocationCacheSeconds).toBe(0);
    expect(() => loadApiConfig({ ...env, REVOCATION_CACHE_SECONDS: '31' })).toThrow(/REVOCATION_CACHE_SECONDS/);
  });
});
