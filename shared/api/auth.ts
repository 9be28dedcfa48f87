/**
 * Who may create an account through `POST /auth/register`: anyone (`open`), holders of an
 * admin's invite code (`invite`), or nobody (`closed`). The admin command creates accounts
 * under every policy.
 */
export const REGISTRATION_POLICIES = ['open', 'invite', 'closed'] as const;

export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];

/** `GET /auth/registration`. */
export interface RegistrationInfo {
  policy: RegistrationPolicy;
}

/** A signed-in user (`GET /auth/me`, and `user` of a sign-in); never the password hash. */
export interface User {
  id: string;
  email: string;
  /** A display name (see API.md "Names"). */
  name: string;
}

/** `POST /auth/refresh`: new tokens; the refresh token sent is spent. */
export interface AuthTokens {
  /** A JWT for `Authorization: Bearer`; it lives 15 minutes. */
  accessToken: string;
  /** Opaque; rotates on every refresh (see API.md on refresh tokens). */
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

/** `POST /auth/login`: tokens and who they are for. */
export interface SignedIn extends AuthTokens {
  user: User;
}
