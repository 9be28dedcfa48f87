/**
 * Tells the API that access tokens stopped being valid before they expire. Access JWTs are
 * checked by API Gateway without calling the auth server, so logout, password change, a disabled
 * or deleted account would otherwise keep working for up to the token lifetime.
 */
export interface Revocations {
  /** Access tokens of these sessions (the `sid` claim) stop working. */
  sessionsEnded(userId: string, sessionIds: string[]): Promise<void>;
  /**
   * Every access token of the user issued until now stops working. `deleted` also asks for the
   * removal of everything the API stores for the user.
   */
  userRevoked(userId: string, reason: 'disabled' | 'deleted'): Promise<void>;
}
