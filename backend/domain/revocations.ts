/**
 * What the API knows about access tokens that stopped being valid before they expire (the auth
 * server writes it on logout, password change, a disabled or deleted account). API Gateway checks
 * only a token's signature and expiry; this is the rest.
 */

/** The verified claims of an access token that revocation is judged on. */
export interface TokenIdentity {
  /** `sub`: the user. */
  userId: string;
  /** `sid`: the session (refresh-token family) the token was issued in. */
  sessionId?: string;
  /** `iat`, in seconds since the epoch. */
  issuedAt?: number;
}

/** The revocations that concern one user and one of their sessions. */
export interface RevocationState {
  /** Every token of the user issued at or before this time (seconds since the epoch) is refused. */
  userRevokedBefore?: number;
  /** The session ended: each of its tokens is refused. */
  sessionEnded: boolean;
}

/** Reads the revocations of a user and a session in one round trip. */
export interface RevocationLookup {
  lookup(userId: string, sessionId?: string): Promise<RevocationState>;
}

/**
 * True when the token must be refused. `iat` has a resolution of one second, so a token issued in
 * the same second as the revocation is refused too; one without `iat` is refused whenever the
 * user is revoked.
 */
export function isRevoked(state: RevocationState, token: TokenIdentity): boolean {
  if (state.sessionEnded) return true;
  if (state.userRevokedBefore === undefined) return false;
  return token.issuedAt === undefined || token.issuedAt <= state.userRevokedBefore;
}
