import { describe, expect, it, vi } from 'vitest';
import type { AuthRepository, UserRecord } from '../auth-repository';
import { createPasswordHasher } from '../password-hasher';
import { authenticateUser } from './accounts';

function fakeRepository(users: UserRecord[]): AuthRepository {
  return {
    findUserByEmail: async (email) => users.find((user) => user.email.toLowerCase() === email.toLowerCase()),
    updatePasswordHash: vi.fn(async () => {}),
  } as Partial<AuthRepository> as AuthRepository;
}

describe('authenticateUser', () => {
  it('spends a hash on an unknown email and fails like a wrong password', async () => {
    const passwords = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    const dummy = vi.spyOn(passwords, 'verifyAgainstDummy');
    const repository = fakeRepository([]);
    await expect(authenticateUser({ repository, passwords }, { email: 'nobody@example.com', password: 'whatever it is' })).rejects.toMatchObject({
      publicCode: 'invalid_credentials',
      status: 401,
    });
    expect(dummy).toHaveBeenCalledOnce();
  });

  it('upgrades a hash made with older parameters on successful login', async () => {
    const old = createPasswordHasher({ N: 2 ** 9, r: 8, p: 1 });
    const user = { id: 'usr_1', email: 'a@b.co', name: 'A', passwordHash: await old.hash('the right password'), createdAt: 0 };
    const repository = fakeRepository([user]);
    const passwords = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    const result = await authenticateUser({ repository, passwords, now: () => 5 }, { email: 'A@B.co', password: 'the right password' });
    expect(result.passwordHash.startsWith('$scrypt$ln=10,')).toBe(true);
    expect(repository.updatePasswordHash).toHaveBeenCalledWith('usr_1', result.passwordHash, 5);
  });
});
