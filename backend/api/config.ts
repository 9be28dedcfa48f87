import * as z from 'zod/mini';
import '../domain/zod-messages';
import { MAX_REVOCATION_CACHE_SECONDS } from './access-check';

const nonEmpty = (name: string) => z.string({ error: `${name} is not set` }).check(z.trim(), z.minLength(1, { error: `${name} is empty` }));

const optionalUrl = z.optional(
  z.pipe(
    z.pipe(
      z.string().check(z.trim()),
      z.transform((value: string) => value || undefined),
    ),
    z.optional(z.url()),
  ),
);

/** The environment every API Lambda (and the local stack that hosts them) needs. */
const envSchema = z.object({
  AWS_REGION: z._default(z.string().check(z.trim(), z.minLength(1)), 'us-east-1'),
  PLAYLISTS_TABLE: nonEmpty('PLAYLISTS_TABLE'),
  TRACKS_TABLE: nonEmpty('TRACKS_TABLE'),
  HOME_TABLE: nonEmpty('HOME_TABLE'),
  REVOCATIONS_TABLE: nonEmpty('REVOCATIONS_TABLE'),
  LISTENING_TABLE: nonEmpty('LISTENING_TABLE'),
  MEDIA_BUCKET: nonEmpty('MEDIA_BUCKET'),
  /** Set by the local stack to point the SDK at DynamoDB Local. */
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
  /** Set by the local stack to point the SDK at s3rver. */
  AWS_ENDPOINT_URL_S3: optionalUrl,
  /** Lifetime of presigned stream and cover URLs. */
  STREAM_URL_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(60), z.maximum(7 * 24 * 3600)), 900),
  /** How long a warm function reuses what it read about a user's revocations (0–30 s; the local stack's tests use less). */
  REVOCATION_CACHE_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(0), z.maximum(MAX_REVOCATION_CACHE_SECONDS)),
    MAX_REVOCATION_CACHE_SECONDS,
  ),
  /** Which search adapter answers `GET /search`: the embedded index (snapshot in MEDIA_BUCKET) or CloudSearch. */
  SEARCH_BACKEND: z._default(z.enum(['embedded', 'cloudsearch'], { error: 'SEARCH_BACKEND must be embedded or cloudsearch' }), 'embedded'),
  /** The CloudSearch domain's name; its endpoints are looked up at start. Required with SEARCH_BACKEND=cloudsearch. */
  CLOUDSEARCH_DOMAIN: z.optional(z.string().check(z.trim())),
});

export interface ApiConfig {
  region: string;
  tables: { playlists: string; tracks: string; home: string; revocations: string; listening: string };
  mediaBucket: string;
  endpoints: { dynamodb?: string; s3?: string };
  streamUrlTtlSeconds: number;
  revocationCacheSeconds: number;
  search: SearchConfig;
}

export type SearchConfig = { backend: 'embedded' } | { backend: 'cloudsearch'; domainName: string };

/**
 * Reads and validates the API configuration once per cold start. Throws with the names of the
 * variables to set, so a misconfigured function fails at start instead of on the first request.
 */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
    });
    throw new Error(`Invalid API configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.SEARCH_BACKEND === 'cloudsearch' && !e.CLOUDSEARCH_DOMAIN) {
    throw new Error('Invalid API configuration: CLOUDSEARCH_DOMAIN is not set (required with SEARCH_BACKEND=cloudsearch)');
  }
  return {
    region: e.AWS_REGION,
    tables: {
      playlists: e.PLAYLISTS_TABLE,
      tracks: e.TRACKS_TABLE,
      home: e.HOME_TABLE,
      revocations: e.REVOCATIONS_TABLE,
      listening: e.LISTENING_TABLE,
    },
    mediaBucket: e.MEDIA_BUCKET,
    endpoints: { dynamodb: e.AWS_ENDPOINT_URL_DYNAMODB, s3: e.AWS_ENDPOINT_URL_S3 },
    streamUrlTtlSeconds: e.STREAM_URL_TTL_SECONDS,
    revocationCacheSeconds: e.REVOCATION_CACHE_SECONDS,
    search:
      e.CLOUDSEARCH_DOMAIN && e.SEARCH_BACKEND === 'cloudsearch'
        ? { backend: 'cloudsearch', domainName: e.CLOUDSEARCH_DOMAIN }
        : { backend: 'embedded' },
  };
}
