import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../adapters/dynamodb/low-level-client';
import { DynamoRevocationLookup } from '../adapters/dynamodb/revocations.dynamodb';
import { unauthorized } from '../domain/errors';
import { isRevoked, type RevocationLookup, type RevocationState, type TokenIdentity } from '../domain/revocations';
import type { ApiConfig } from './config';
import type { ApiEvent } from './types';

/** Refuses (throws a 401) a request whose access token has been revoked since it was issued. */
export type AccessCheck = (event: ApiEvent) => Promise<void>;

/**
 * The longest a warm function may go on trusting what it read: with it, a revoked token is
 * refused within a minute everywhere (this, plus the time a revocation takes to be written and
 * read back, plus clocks that disagree by a few seconds).
 */
export const MAX_REVOCATION_CACHE_SECONDS = 30;

/** Room for many users at once; the oldest entries make way first. */
const MAX_CACHED = 10_000;

export interface AccessCheckOptions {
  /** How long a lookup is reused by later requests of the same user and session (0: never). */
  cacheSeconds: number;
  /** Milliseconds since the epoch; replaceable in tests. */
  now?: () => number;
}

/** The identity API Gateway's JWT authorizer verified; every claim reaches the function as a string. */
function tokenIdentityOf(event: ApiEvent): TokenIdentity | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const { sub, sid, iat } = claims;
  if (typeof sub !== 'string' || !sub) return undefined;
  const issuedAt = Number(iat);
  return {
    userId: sub,
    sessionId: typeof sid === 'string' && sid ? sid : undefined,
    issuedAt: iat !== undefined && Number.isFinite(issuedAt) ? issuedAt : undefined,
  };
}

/**
 * Checks each request's token against the revocations, one lookup per user and session at most
 * every `cacheSeconds` per warm function. The cache holds lookups, not verdicts: a token issued
 * after its user was revoked (signing in again after being re-enabled) is judged on its own `iat`.
 * A failed lookup refuses the request (503 through the error mapper) rather than let it through.
 */
export function createAccessCheck(lookup: RevocationLookup, options: AccessCheckOptions): AccessCheck {
  const now = options.now ?? Date.now;
  const cacheMs = Math.min(options.cacheSeconds, MAX_REVOCATION_CACHE_SECONDS) * 1000;
  const cache = new Map<string, { at: number; state: Promise<RevocationState> }>();

  function stateOf(token: TokenIdentity): Promise<RevocationState> {
    const key = `${token.userId}\n${token.sessionId ?? ''}`;
    const cached = cache.get(key);
    if (cached && now() - cached.at < cacheMs) return cached.state;
    const state = lookup.lookup(token.userId, token.sessionId);
    if (cacheMs > 0) {
      cache.delete(key); // re-inserted last, so the oldest entry is always first
      cache.set(key, { at: now(), state });
      if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
      // A failed lookup is not remembered: the next request asks again.
      state.catch(() => cache.get(key)?.state === state && cache.delete(key));
    }
    return state;
  }

  return async (event) => {
    const token = tokenIdentityOf(event);
    if (!token) throw unauthorized();
    if (isRevoked(await stateOf(token), token)) throw unauthorized('Access token revoked; sign in again');
  };
}

/**
 * The check every API function runs before its handlers, as they all build it: on the function's
 * own DynamoDB client when it has one, else on a client of its own.
 */
export function accessCheckFor(config: ApiConfig, client?: DynamoDBClient): AccessCheck {
  const dynamodb = client ?? createDynamoClient({ region: config.region, endpoint: config.endpoints.dynamodb });
  return createAccessCheck(new DynamoRevocationLookup(dynamodb, config.tables.revocations), {
    cacheSeconds: config.revocationCacheSeconds,
  });
}
