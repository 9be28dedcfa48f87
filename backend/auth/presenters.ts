import type { UserRecord } from './auth-repository';
import type { Session } from './commands/sessions';

/** The public view of a user (API.md): never the hash or timestamps. */
export const presentUser = (user: Pick<UserRecord, 'id' | 'email' | 'name'>) => ({
  id: user.id,
  email: user.email,
  name: user.name,
});

export const presentSession = (session: Session) => ({
  accessToken: session.accessToken,
  refreshToken: session.refreshToken,
  expiresIn: session.expiresIn,
});

export const presentSignIn = (session: Session, user: UserRecord) => ({
  ...presentSession(session),
  user: presentUser(user),
});
