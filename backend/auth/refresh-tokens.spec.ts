import { describe, expect, it } from 'vitest';
import { newRefreshToken, openSuccessor, sealSuccessor } from './refresh-tokens';

describe('sealed successors', () => {
  const previous = newRefreshToken().token;
  const successor = newRefreshToken().token;

  it('opens with the token it was sealed for', () => {
    expect(openSuccessor(previous, sealSuccessor(previous, successor))).toBe(successor);
  });

  it('keeps the successor unreadable without that token', () => {
    const sealed = sealSuccessor(previous, successor);
    expect(sealed).not.toContain(successor);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(successor);
    expect(openSuccessor(newRefreshToken().token, sealed)).toBeUndefined();
  });

  it('refuses an altered or truncated value', () => {
    const bytes = Buffer.from(sealSuccessor(previous, successor), 'base64url');
    bytes[20]! ^= 1;
    expect(openSuccessor(previous, bytes.toString('base64url'))).toBeUndefined();
    expect(openSuccessor(previous, bytes.subarray(0, 20).toString('base64url'))).toBeUndefined();
    expect(openSuccessor(previous, '')).toBeUndefined();
  });

  it('seals the same successor differently each time (fresh IV)', () => {
    expect(sealSuccessor(previous, successor)).not.toBe(sealSuccessor(previous, successor));
  });

  it('fits the column it is stored in', () => {
    expect(sealSuccessor(previous, successor).length).toBeLessThanOrEqual(128);
  });
});
