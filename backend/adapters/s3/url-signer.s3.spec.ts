/*
 * The signer must hand out exactly the URLs the S3 client would: the client is the reference,
 * signing the same key with the same configuration, credentials and clock.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Client, type S3ClientOptions } from './client';
import { S3UrlSigner } from './url-signer.s3';

const signingDate = new Date('2026-03-01T12:34:56Z');
const ttl = 900;

/** Keys as the import writes them, and keys that stress the encoding: spaces, `+`, reserved and non-ASCII characters. */
const keys = [
  'covers/0f3a9c.jpg',
  'audio/My Song – Ünïcødé 日本語 🎵.flac',
  'audio/a+b=c&d?e#f%20g;h:i@j$k,l.mp3',
  "covers/it's (1) *!~[x]{y}.png",
  'audio/double//slash/ trailing space /x.wav',
];

/** The URL the S3 client presigns for GetObject. */
function clientUrl(s3: S3Client, bucket: string, key: string, expiresIn = ttl): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn, signingDate });
}

const signerFor = (options: S3ClientOptions, bucket: string) => new S3UrlSigner({ ...options, bucket, now: () => signingDate });

/** One configuration: what `createS3Client` gets, the bucket, and where its URLs must point. */
interface Setup {
  name: string;
  options: S3ClientOptions;
  bucket: string;
  origin: string;
}

const setups: Setup[] = [
  {
    name: 'AWS, virtual-hosted',
    options: { region: 'eu-west-3' },
    bucket: 'alktunes-media-1a2b3c',
    origin: 'https://alktunes-media-1a2b3c.s3.eu-west-3.amazonaws.com/',
  },
  {
    name: 'AWS in us-east-1',
    options: { region: 'us-east-1' },
    bucket: 'alktunes-media',
    origin: 'https://alktunes-media.s3.us-east-1.amazonaws.com/',
  },
  {
    name: 'AWS China partition',
    options: { region: 'cn-north-1' },
    bucket: 'alktunes-media',
    origin: 'https://alktunes-media.s3.cn-north-1.amazonaws.com.cn/',
  },
  {
    name: 'AWS, a bucket name no host label can hold',
    options: { region: 'eu-west-3' },
    bucket: 'media.alktunes.example',
    origin: 'https://s3.eu-west-3.amazonaws.com/media.alktunes.example/',
  },
  {
    name: 'local stand-in, path style',
    options: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4569' },
    bucket: 'test-media',
    origin: 'http://127.0.0.1:4569/test-media/',
  },
  {
    name: 'local stand-in behind a path',
    options: { region: 'eu-west-3', endpoint: 'http://localhost:8080/s3/' },
    bucket: 'test-media',
    origin: 'http://localhost:8080/s3/test-media/',
  },
];

/** Environment the SDK could read: fixed credentials, and nothing that would move its endpoint. */
const environment: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE+/=token',
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_S3: undefined,
  AWS_USE_FIPS_ENDPOINT: undefined,
  AWS_USE_DUALSTACK_ENDPOINT: undefined,
};

describe('S3UrlSigner', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  describe.each(setups)('$name', ({ options, bucket, origin }) => {
    let s3: S3Client;
    beforeEach(() => {
      s3 = createS3Client(options);
    });
    afterEach(() => s3.destroy());

    it.each(keys)('signs %j exactly as the S3 client does', async (key) => {
      const url = await signerFor(options, bucket).signedGetUrl(key, ttl);
      expect(url).toBe(await clientUrl(s3, bucket, key));
      expect(url.startsWith(origin)).toBe(true);
      expect(new URL(url).searchParams.get('X-Amz-Date')).toBe('20260301T123456Z');
    });

    it('matches the S3 client for any key and lifetime', async () => {
      const signer = signerFor(options, bucket);
      const segment = fc.string({ unit: 'binary', minLength: 0, maxLength: 12 });
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1, max: 7 * 24 * 3600 }),
          async (segments, expiresIn) => {
            const key = segments.join('/');
            fc.pre(key.length > 0);
            expect(await signer.signedGetUrl(key, expiresIn)).toBe(await clientUrl(s3, bucket, key, expiresIn));
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  it("signs with the role's session credentials from the environment on AWS", async () => {
    const url = new URL(await signerFor({ region: 'eu-west-3' }, 'alktunes-media').signedGetUrl('covers/a.jpg', ttl));
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20260301/eu-west-3/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(environment.AWS_SESSION_TOKEN);
  });

  it('signs for the local stand-in with its fixed credentials, whatever the environment holds', async () => {
    const url = new URL(
      await signerFor({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4569' }, 'test-media').signedGetUrl('covers/a.jpg', ttl),
    );
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\//);
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
  });

  it('fails to sign, saying why, when the environment holds no credentials', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    await expect(signerFor({ region: 'eu-west-3' }, 'alktunes-media').signedGetUrl('covers/a.jpg', ttl)).rejects.toThrow(
      /environment variable credentials/,
    );
  });
});
