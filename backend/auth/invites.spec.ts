import { describe, expect, it } from 'vitest';
import { hashInviteCode, newInviteCode, normalizeInviteCode } from './invites';

describe('invite codes', () => {
  it('are five groups of four Crockford base32 symbols, different each time, stored as a hash', () => {
    const codes = Array.from({ length: 200 }, () => newInviteCode());
    for (const { code, codeHash } of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
      expect(codeHash).toBe(hashInviteCode(code));
      expect(codeHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(codes.map(({ code }) => code)).size).toBe(codes.length);
  });

  it('match however the code is typed: case, spaces, dashes, and I, L, O for 1, 1, 0', () => {
    const { code } = newInviteCode();
    for (const typed of [code.toLowerCase(), code.replaceAll('-', ''), ` ${code.replaceAll('-', ' ')} `]) {
      expect(hashInviteCode(typed)).toBe(hashInviteCode(code));
    }
    expect(normalizeInviteCode('io1l-0o')).toBe('101100');
    expect(hashInviteCode('7K2M-Q9XD-4HRT-B8WN-CJ3P')).not.toBe(hashInviteCode('7K2M-Q9XD-4HRT-B8WN-CJ3Q'));
  });
});
