import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget, targetFromCdkOutputs, targetFromEnv, targetFromStackInfo, TargetError } from './target';

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

  it('reads CDK outputs of the data, search and API stacks', () => {
    const outputs = {
      'alktunes-data': { TracksTable: 'prod-tracks', MediaBucket: 'prod-media', PlaylistsTable: 'p', Region: 'eu-central-1' },
      'alktunes-search': { SearchBackend: 'cloudsearch', SearchDomainName: 'alktunes-search' },
      'alktunes-api': { ApiUrl: 'https://x.execute-api.eu-central-1.amazonaws.com/', ShuffleFunctionName: 'alktunes-api-Shuffle' },
    };
    expect(targetFromCdkOutputs(outputs, 'us-east-1')).toEqual({
      description: expect.stringContaining('prod-media'),
      region: 'eu-central-1',
      bucket: 'prod-media',
      tracksTable: 'prod-tracks',
      endpoints: {},
      search: { backend: 'cloudsearch', domainName: 'alktunes-search' },
      homeFeed: { shuffleFunction: 'alktunes-api-Shuffle' },
    });
  });

  it('takes the region from the command line when the outputs lack one', () => {
    const outputs = { 'alktunes-data': { TracksTable: 't', MediaBucket: 'm' } };
    expect(targetFromCdkOutputs(outputs, 'eu-west-1')).toMatchObject({ region: 'eu-west-1', search: { backend: 'embedded' } });
    expect(targetFromCdkOutputs(outputs, 'eu-west-1').homeFeed).toBeUndefined();
  });

  it('publishes the local home feed through the home table in stack.json', () => {
    expect(targetFromStackInfo(stackInfo).homeFeed).toEqual({ homeTable: 'alktunes-home' });
  });

  it('says what is missing from CDK outputs', () => {
    expect(() => targetFromCdkOutputs({ s: { MediaBucket: 'b' } }, 'eu-west-1')).toThrow(/TracksTable/);
    expect(() => targetFromCdkOutputs({ a: { MediaBucket: 'b', TracksTable: 't' } }, undefined)).toThrow(/AWS_REGION/);
    expect(() => targetFromCdkOutputs({ a: { MediaBucket: 'b', TracksTable: 't' }, b: { MediaBucket: 'c' } }, 'r')).toThrow(TargetError);
    expect(() => targetFromCdkOutputs(['a'], 'r')).toThrow(TargetError);
    const unknownBackend = { a: { MediaBucket: 'b', TracksTable: 't', SearchBackend: 'elastic' } };
    expect(() => targetFromCdkOutputs(unknownBackend, 'r')).toThrow(TargetError);
    expect(() => targetFromCdkOutputs(unknownBackend, 'r')).toThrow(
      /SearchBackend output must be "embedded" or "cloudsearch", got "elastic"/,
    );
  });

  it('reports an unusable outputs file as a target error, which the import prints as usage', async () => {
    await expect(resolveTarget({ stackOutputs: join(tmpdir(), 'alktunes-no-such-outputs.json') }, {})).rejects.toThrow(
      expect.objectContaining({ name: 'TargetError', message: expect.stringMatching(/does not exist: deploy with `npm run deploy`/) }),
    );
  });

  it('reads the environment, and only when it names a bucket or table', () => {
    expect(targetFromEnv({}, 'eu-west-1')).toBeUndefined();
    const env = { MEDIA_BUCKET: 'm', TRACKS_TABLE: 't', SEARCH_BACKEND: 'cloudsearch', CLOUDSEARCH_DOMAIN: 'd', SHUFFLE_FUNCTION: 'f' };
    expect(targetFromEnv(env, 'eu-west-1')).toMatchObject({
      bucket: 'm',
      tracksTable: 't',
      search: { backend: 'cloudsearch', domainName: 'd' },
      homeFeed: { shuffleFunction: 'f' },
    });
    expect(() => targetFromEnv({ MEDIA_BUCKET: 'm' }, 'r')).toThrow(/TRACKS_TABLE is missing/);
    expect(() => targetFromEnv({ MEDIA_BUCKET: 'm', TRACKS_TABLE: 't', SEARCH_BACKEND: 'solr' }, 'r')).toThrow(/SEARCH_BACKEND/);
  });
});
