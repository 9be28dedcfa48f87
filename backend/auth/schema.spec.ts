import { describe, expect, it } from 'vitest';
import { ChangePasswordSchema, LoginSchema, RegisterSchema } from './schema';

const firstIssue = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues[0];

describe('auth schemas', () => {
  const valid = { email: '  Ada@Example.COM ', password: 'a long unusual phrase', name: ' Ada ' };

  it('accepts a valid registration and trims email and name', () => {
    expect(RegisterSchema.parse(valid)).toEqual({ email: 'Ada@Example.COM', password: valid.password, name: 'Ada' });
  });

  it.each([
    [{ ...valid, email: 'not-an-email' }, 'email'],
    [{ ...valid, email: `${'a'.repeat(250)}@x.io` }, 'email'],
    [{ ...valid, password: 'short' }, 'password'],
    [{ ...valid, password: 'x'.repeat(257) }, 'password'],
    [{ ...valid, password: 'Password123' }, 'password'],
    [{ ...valid, password: 'QWERTYUIOP' }, 'password'],
    [{ ...valid, name: '   ' }, 'name'],
    [{ ...valid, name: 'n'.repeat(101) }, 'name'],
    [{ ...valid, name: 42 }, 'name'],
    [{ email: valid.email, password: valid.password }, 'name'],
  ])('rejects %j at %s', (input, field) => {
    const issue = firstIssue(RegisterSchema.safeParse(input));
    expect(issue?.path.join('.')).toBe(field);
    expect(issue?.message).toBeTruthy();
  });

  it('normalizes the name with the display-name rule and says what is wrong with it', () => {
    expect(RegisterSchema.parse({ ...valid, name: ' Zoe\u0301   Salda\u00f1a ' }).name).toBe('Zoé Saldaña');
    expect(RegisterSchema.parse({ ...valid, name: 'مريم' }).name).toBe('مريم');
    const cases: [string, string][] = [
      ['Ada\u0000', 'Name must not contain control characters'],
      ['Ada \u202egnp.exe', 'Name must not contain bidirectional override or isolate characters'],
      ['\u200b\u200d', 'Name must contain a visible character'],
      [' ', 'Name must not be empty'],
    ];
    for (const [name, message] of cases) {
      expect(firstIssue(RegisterSchema.safeParse({ ...valid, name }))).toMatchObject({ path: ['name'], message });
    }
  });

  it('keeps passwords verbatim (no trimming)', () => {
    expect(RegisterSchema.parse({ ...valid, password: '  spaced out pw  ' }).password).toBe('  spaced out pw  ');
  });

  it('does not apply the password policy at login', () => {
    expect(LoginSchema.safeParse({ email: 'a@b.co', password: 'short' }).success).toBe(true);
    expect(LoginSchema.safeParse({ email: 'a@b.co', password: '' }).success).toBe(false);
  });

  it('applies the policy to a new password only', () => {
    const issue = firstIssue(ChangePasswordSchema.safeParse({ currentPassword: 'old', newPassword: 'password123' }));
    expect(issue?.path.join('.')).toBe('newPassword');
  });
});
