import { createHash, randomInt } from 'node:crypto';

/** An invite expires this many days after it is made unless the admin asks otherwise. */
export const DEFAULT_INVITE_DAYS = 7;
export const MAX_INVITE_DAYS = 365;

// Crockford's base32 has no I, L, O or U, so a code read aloud or typed from a screen is hard to get wrong.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SYMBOLS = 20; // 100 random bits
const GROUP = 4;

/** A new invite code, e.g. `7K2M-Q9XD-…` (five groups of four). Only its hash is stored. */
export function newInviteCode(): { code: string; codeHash: string } {
  const symbols = Array.from({ length: SYMBOLS }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = symbols.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
  return { code, codeHash: hashInviteCode(code) };
}

/** The form codes are compared in: case, spaces and dashes don't matter; I and L read as 1, O as 0. */
export const normalizeInviteCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');

/** SHA-256 hex of the normalized code; a fast hash is enough for 100 random bits that expire. */
export const hashInviteCode = (code: string) => createHash('sha256').update(normalizeInviteCode(code)).digest('hex');
