/** A stored account. `email` is as typed; lookups are case-insensitive. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: number;
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
}

/** Persistence of users and their refresh-token families (one store, one transaction scope). */
export interface AuthRepository {
  /** Inserts a user; throws `emailTaken()` when the normalized email already exists. */
  createUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  updatePasswordHash(userId: string, passwordHash: string, now: number): Promise<void>;
  /** Deletes the user and every refresh token of theirs. */
  deleteUser(userId: string): Promise<void>;

  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks a live token used; false if it was already used or revoked (a concurrent or repeated use). */
  markRefreshTokenUsed(tokenHash: string, now: number): Promise<boolean>;
  revokeFamily(familyId: string, now: number): Promise<void>;
  /** Revokes every live token of the user except those in `keepFamilyId`. */
  revokeUserSessions(userId: string, now: number, keepFamilyId?: string): Promise<void>;

  /** Cheap round trip to the database, for health checks. */
  ping(): Promise<void>;
}

/** Lower-cased, trimmed email: the form uniqueness and lookups use. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
