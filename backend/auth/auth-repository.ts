/** A stored account. `email` is as typed; lookups are case-insensitive. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: number;
  /** When an admin disabled the account; null while it may sign in. */
  disabledAt: number | null;
}

/** An admin's invitation to register; only the code's hash is stored. */
export interface InviteRecord {
  codeHash: string;
  /** The only email (any letter case) that may use it; null for any. */
  email: string | null;
  createdAt: number;
  expiresAt: number;
}

/** One refresh token of a session family; only its hash is stored. */
export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
  /** The token this one was exchanged for, sealed for its holder (see `sealSuccessor`); null until used. */
  sealedSuccessor: string | null;
}

/** One exchange of a refresh token: `usedTokenHash` is spent at `usedAt` and `successor` replaces it. */
export interface RefreshTokenRotation {
  usedTokenHash: string;
  usedAt: number;
  /** The successor token sealed for whoever holds the used one. */
  sealedSuccessor: string;
  /** A new, unused token of the same family. */
  successor: RefreshTokenRecord;
}

/** Persistence of users and their refresh-token families (one store, one transaction scope). */
export interface AuthRepository {
  /** Inserts a user; throws `emailTaken()` when the normalized email already exists. */
  createUser(user: UserRecord): Promise<void>;
  /**
   * Uses up the invite and inserts the user in one transaction, so one invite makes one account
   * however many registrations race for it. Throws `invalidInvite()` when the invite is unknown,
   * used, expired or for another email; `emailTaken()` when the email exists, with the invite
   * used up all the same (else its holder could tell which emails have accounts).
   */
  createUserWithInvite(user: UserRecord, inviteCodeHash: string, now: number): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  /** Users in email order, `limit` of them after `afterEmail` (exclusive) when given. */
  listUsers(page: { limit: number; afterEmail?: string }): Promise<UserRecord[]>;
  /** Disables (a time) or enables (null) the user. */
  setUserDisabled(userId: string, disabledAt: number | null, now: number): Promise<void>;
  updatePasswordHash(userId: string, passwordHash: string, now: number): Promise<void>;
  /** Deletes the user and every refresh token of theirs. */
  deleteUser(userId: string): Promise<void>;

  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Stores the successor and marks the used token spent (keeping the sealed successor on it);
   * false, with nothing stored, if the token was already used or revoked (a concurrent or
   * repeated use). Once the used token reads as spent, its successor can be found.
   */
  rotateRefreshToken(rotation: RefreshTokenRotation): Promise<boolean>;
  revokeFamily(familyId: string, now: number): Promise<void>;
  /**
   * Revokes every token of the user except those in `keepFamilyId`; returns the sessions it
   * ended (families that had a token neither revoked nor expired at `now`).
   */
  revokeUserSessions(userId: string, now: number, keepFamilyId?: string): Promise<string[]>;
  /** The user's live sessions: families with a token that is neither revoked nor expired at `now`. */
  listLiveSessions(userId: string, now: number): Promise<string[]>;
  /** Whether the user's session `familyId` has a token that is neither revoked nor expired at `now`. */
  isSessionLive(userId: string, familyId: string, now: number): Promise<boolean>;

  createInvite(invite: InviteRecord): Promise<void>;

  /** Cheap round trip to the database, for health checks. */
  ping(): Promise<void>;
}

/** Lower-cased, trimmed email: the form uniqueness and lookups use. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
