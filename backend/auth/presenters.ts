import type { AuthTokens, RegistrationInfo, RegistrationPolicy, SignedIn, User } from '../../shared/api';
import type { UserRecord } from './auth-repository';
import type { Session } from './commands/sessions';

// Each presenter returns its shared/api type, so a reply cannot drift from what the extension reads.

/** The public view of a user (API.md): never the hash or timestamps. */
export const presentUser = (user: Pick<UserRecord, 'id' | 'email' | 'name'>): User => ({
  id: user.id,
  email: user.email,
  name: user.name,
});

export const presentSession = (session: Session): AuthTokens => ({
  accessToken: session.accessToken,
  refreshToken: session.refreshToken,
  expiresIn: session.expiresIn,
});

export const presentSignIn = (session: Session, user: UserRecord): SignedIn => ({
  ...presentSession(session),
  user: presentUser(user),
});

export const presentRegistration = (policy: RegistrationPolicy): RegistrationInfo => ({ policy });
