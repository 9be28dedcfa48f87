import { describe, expect, it } from 'vitest';
import { targetFromCdkOutputs, targetFromEnv, targetFromStackInfo, TargetError } from './target';

const stackInfo = {
  auth: 'http://127.0.0.1:8710',
  api: 'http://127.0.0.1:8711',
  s3: 'http://127.0.0.1:8712',
  dynamodb: 'http://127.0.0.1:8713',
  region: 'us-east-1',
  bucket: 'alktunes-media',
  tables: { playlists: 'alktunes-playlists', tracks: 'alktunes-tracks', home: 'alktunes-home' },
};

describe('import targets', () => {
  it('reads the local stack address book', () => {
    expect(targetFromStackInfo(stackInfo)).toMatchObject({
      region: 'us-east-1',
      bucket: 'alktunes-media',
      tracksTable: 'alktunes-tracks',
      endpoints: { s3: stackInfo.s3, dynamodb: stackInfo.dynamodb },
      search: { backend: 'embedded' },
    });
    expect(() => targetFromStackInfo({ s3: 'nope' })).toThrow(/npm start/);
  });

  it('reads CDK outputs of the data and search stacks', () => {
    const outputs = {
      'alktunes-data': { TracksTable: 'prod-tracks', MediaBucket: 'prod-media', PlaylistsTable: 'p' },
      'alktunes-search': { SearchBackend: 'cloudsearch', SearchDomainName: 'alktunes-search' },
    };
    expect(targetFromCdkOutputs(outputs, 'eu-west-1')).toEqual({
      description: expect.stringContaining('prod-media'),
      region: 'eu-west-1',
      bucket: 'prod-media',
      tracksTable: 'prod-tracks',
      endpoints: {},
      search: { backend: 'cloudsearch', domainName: 'alktunes-search' },
    });
  });

  it('says what is missing from CDK outputs', () => {
    expect(() => targetFromCdkOutputs({ s: { MediaBucket: 'b' } }, 'eu-west-1')).toThrow(/TracksTable/);
    expect(() => targetFromCdkOutputs({ a: { MediaBucket: 'b', TracksTable: 't' } }, undefined)).toThrow(/AWS_REGION/);
    expect(() => targetFromCdkOutputs({ a: { MediaBucket: 'b', TracksTable: 't' }, b: { MediaBucket: 'c' } }, 'r')).toThrow(TargetError);
  });

  it('reads the environment, and only when it names a bucket or table', () => {
    expect(targetFromEnv({}, 'eu-west-1')).toBeUndefined();
    expect(targetFromEnv({ MEDIA_BUCKET: 'm', TRACKS_TABLE: 't', SEARCH_BACKEND: 'cloudsearch' }, 'eu-west-1')).toMatchObject({
      bucket: 'm',
      tracksTable: 't',
      search: { backend: 'cloudsearch' },
    });
    expect(() => targetFromEnv({ MEDIA_BUCKET: 'm' }, 'r')).toThrow(/TRACKS_TABLE is missing/);
    expect(() => targetFromEnv({ MEDIA_BUCKET: 'm', TRACKS_TABLE: 't', SEARCH_BACKEND: 'solr' }, 'r')).toThrow(/SEARCH_BACKEND/);
  });
});
