import { describe, expect, it } from 'vitest';
import { idempotencyKeySchema } from './idempotency';

describe('idempotency keys', () => {
  it('accepts 1–255 visible ASCII characters and nothing else', () => {
    for (const key of ['a', crypto.randomUUID(), '~!#$%&*+-./:;<=>?@[]^_`{|}', 'x'.repeat(255)]) {
      expect(idempotencyKeySchema.safeParse(key).success, key).toBe(true);
    }
    for (const key of ['', ' ', 'a b', 'tab\t', 'new\nline', 'é', '\u0000', 'x'.repeat(256)]) {
      expect(idempotencyKeySchema.safeParse(key).success, JSON.stringify(key)).toBe(false);
    }
  });
});
