import type { Revocations } from './revocations';

/**
 * Revocations kept in this process only, for an auth server with no API behind it (tests,
 * benchmarks): what it would have told the API, readable by the test.
 */
export class MemoryRevocations implements Revocations {
  /** Ended sessions, by session id, with their user. */
  readonly endedSessions = new Map<string, string>();
  /** Revoked users and why, in the order they were revoked. */
  readonly revokedUsers: { userId: string; reason: 'disabled' | 'deleted' }[] = [];

  async sessionsEnded(userId: string, sessionIds: string[]): Promise<void> {
    for (const sessionId of sessionIds) this.endedSessions.set(sessionId, userId);
  }

  async userRevoked(userId: string, reason: 'disabled' | 'deleted'): Promise<void> {
    this.revokedUsers.push({ userId, reason });
  }
}
