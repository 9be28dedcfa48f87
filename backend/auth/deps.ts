import type { AccessTokens } from './access-tokens';
import type { AuthRepository } from './auth-repository';
import type { PasswordHasher } from './password-hasher';
import type { Limiters } from './rate-limits';
import type { RegistrationPolicy } from './registration-policy';
import type { Revocations } from './revocations';
import type { SignInHistory } from './sign-in-history';
import type { KeyStore } from './signing-keys';
import type { OriginRule } from '../http/cors';

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
  /** Where the API learns of ended sessions and revoked users (DynamoDB in a deployment). */
  revocations: Revocations;
  /** Allowed CORS origins; by default any Chrome or Firefox extension. */
  corsOrigins?: readonly OriginRule[];
  /** The counters behind every 429 (rate-limits.ts). */
  limiters: Limiters;
  /** Where each account signed in from; strangers' failures don't hold those addresses back. */
  signInHistory: SignInHistory;
  /** Who may register (the server resolves its default). */
  registration: RegistrationPolicy;
  /** Proxies (IPs or CIDRs) whose X-Forwarded-For names the client; none by default: the socket's peer is the client. */
  trustedProxies?: readonly string[];
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
