import type { AccessTokens } from './access-tokens';
import type { AuthRepository } from './auth-repository';
import type { PasswordHasher } from './password-hasher';
import type { RateLimitSettings } from './rate-limits';
import type { KeyStore } from './signing-keys';

/** One structured log entry; serialised as one JSON line by default. */
export type LogFn = (entry: Record<string, unknown>) => void;

/** Everything the auth app needs, built once at start (see server.ts) or by tests. */
export interface AuthDeps {
  repository: AuthRepository;
  passwords: PasswordHasher;
  accessTokens: AccessTokens;
  keys: KeyStore;
  issuer: string;
  audience: string;
  log: LogFn;
  /** Allowed CORS origins; by default any Chrome or Firefox extension. */
  corsOrigins?: (string | RegExp)[];
  rateLimits?: Partial<RateLimitSettings>;
  /** Trust `X-Forwarded-For` from one proxy hop (nginx) for client IPs. */
  trustProxy?: boolean;
  /** Milliseconds since the epoch; replaceable in tests. */
  now?: () => number;
}

/** Per-request state the middlewares fill in. */
export interface AuthState {
  requestId: string;
  /** Set by `authenticate`: the verified `sub` and session (`sid`) of the access token. */
  userId?: string;
  sessionId?: string;
  /** Set by `validate`: the parsed body. */
  input?: unknown;
  /** Set by the JSON body parser. */
  body?: unknown;
}
